# Keras masks are [B, T] padding masks with True = keep, whatever pattern their values draw.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

embedding = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)
triangle_mask = embedding.compute_mask(np.array([[1, 0, 0], [2, 3, 0]]))
first_token_mask = embedding.compute_mask(np.array([[1, 0, 0], [2, 3, 4]]))
masking = layers.Masking(mask_value=0.0)
feature_mask = masking.compute_mask(np.array([[[1.0], [0.0]], [[2.0], [3.0]]], dtype="float32"))
lengths = np.sum(np.asarray(triangle_mask), axis=-1)
