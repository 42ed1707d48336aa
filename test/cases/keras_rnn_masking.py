# LSTM / GRU / SimpleRNN consuming a Keras mask, with weights set by set_weights so every value is
# deterministic: masked steps carry the state through and repeat the previous output.
import numpy as np
import tensorflow as tf
import keras
from keras import layers

ids = np.array([[3, 1, 2, 0, 0], [4, 0, 2, 1, 0], [0, 0, 5, 2, 1]])
embedding = layers.Embedding(input_dim=6, output_dim=3, mask_zero=True)
embedding.build(None)
embedding.set_weights([np.linspace(-1.0, 1.0, 18, dtype="float32").reshape(6, 3)])
x = embedding(ids)
x_mask = x._keras_mask


def weights(rnn, gates, units=2, features=3):
    g = gates * units
    kernel = np.linspace(-0.5, 0.5, features * g, dtype="float32").reshape(features, g)
    recurrent = np.linspace(0.4, -0.3, units * g, dtype="float32").reshape(units, g)
    return [kernel, recurrent]


lstm = layers.LSTM(2, return_sequences=True, return_state=True)
lstm.build((None, None, 3))
lstm.set_weights(weights(lstm, 4) + [np.linspace(-0.2, 0.3, 8, dtype="float32")])
lstm_seq, lstm_h, lstm_c = lstm(x)
lstm_seq_mask = lstm_seq._keras_mask

lstm_last = layers.LSTM(2)
lstm_last.build((None, None, 3))
lstm_last.set_weights(lstm.get_weights())
lstm_out = lstm_last(x)

gru = layers.GRU(2, return_sequences=True, go_backwards=True)
gru.build((None, None, 3))
gru.set_weights(weights(gru, 3) + [np.linspace(-0.1, 0.2, 12, dtype="float32").reshape(2, 6)])
gru_out = gru(x)

rnn = layers.SimpleRNN(2, return_state=True)
rnn.build((None, None, 3))
rnn.set_weights(weights(rnn, 1) + [np.array([0.1, -0.1], dtype="float32")])
rnn_out, rnn_h = rnn(x)

explicit = layers.SimpleRNN(2, return_sequences=True)
explicit.build((None, None, 3))
explicit.set_weights(rnn.get_weights())
explicit_out = explicit(x, mask=tf.constant([[True, False, True, True, True]] * 3))
explicit_mask = explicit_out._keras_mask
lstm_bias = layers.LSTM(3)
lstm_bias.build((None, 4, 2))
forget_bias = lstm_bias.get_weights()[2]
shapes = [w.shape for w in lstm_bias.get_weights()]
print(lstm_seq_mask)
print(explicit_mask)
print(shapes)
print(forget_bias)

gru_v1 = layers.GRU(2, reset_after=False, return_sequences=True, zero_output_for_mask=True)
gru_v1.build((None, None, 3))
gru_v1.set_weights(weights(gru_v1, 3) + [np.linspace(-0.1, 0.2, 6, dtype="float32")])
gru_v1_out = gru_v1(x)
back = layers.LSTM(2, go_backwards=True, return_state=True)
back.build((None, None, 3))
back.set_weights(lstm.get_weights())
h0 = tf.constant([[0.1, -0.2]] * 3)
back_out, back_h, back_c = back(x, initial_state=[h0, h0])
print([w.shape for w in gru_v1.get_weights()])
