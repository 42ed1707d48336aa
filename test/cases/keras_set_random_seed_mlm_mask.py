# keras-io's examples start with keras.utils.set_random_seed: it seeds Python's random
# and NumPy's global state, so the MLM masks drawn after it (masked_language_modeling.py's
# get_masked_input_and_labels) are reproducible. tf.random.set_seed alongside.
import random
import numpy as np
import keras
import tensorflow as tf

tf.random.set_seed(1234)
keras.utils.set_random_seed(42)
encoded_texts = np.array([[2, 15, 27, 9, 33, 4, 0, 0], [2, 8, 19, 41, 5, 12, 7, 4]])
draw = np.random.rand(*encoded_texts.shape)
inp_mask = draw < 0.15
inp_mask[encoded_texts <= 2] = False
labels = -1 * np.ones(encoded_texts.shape, dtype=int)
labels[inp_mask] = encoded_texts[inp_mask]
encoded_texts_masked = np.copy(encoded_texts)
inp_mask_2mask = inp_mask & (np.random.rand(*encoded_texts.shape) < 0.90)
encoded_texts_masked[inp_mask_2mask] = 50
sample_weights = np.ones(labels.shape)
sample_weights[labels == -1] = 0
print(inp_mask.astype(int))
print(encoded_texts_masked)
print(sample_weights)
shuffled = list(range(6))
random.shuffle(shuffled)
print(shuffled)
keras.utils.set_random_seed(42)
again = np.random.rand(*encoded_texts.shape)
print(np.array_equal(again, draw), random.random())
keras.utils.set_random_seed(1.5)
