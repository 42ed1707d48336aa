# A subclassed keras.Model chaining Embedding(mask_zero) -> LSTM -> Dense in call(): the mask follows the
# tensors; a layer whose call() has no training argument never receives one.
# values not compared: y
import numpy as np
import keras
from keras import layers
class Classifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(20, 4, mask_zero=True)
        self.rnn = layers.LSTM(3, return_sequences=True)
        self.head = layers.Dense(2)
    def call(self, inputs, training=False):
        x = self.embedding(inputs)
        x = self.rnn(x, training=training)
        return self.head(x)
model = Classifier()
print(model)
y = model(np.array([[1, 2, 0]]), training=False)
print(y.shape, y._keras_mask)
print(model)
class Plain(layers.Layer):
    def call(self, x):
        return x + 1.0
z = Plain()(np.ones((1, 2)), training=True)
print(z)
