# Keras 3: merge layers (Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum), Activation,
# Flatten, Reshape and Permute, eager and in functional / Sequential models, with the masks they
# merge (Concatenate concatenates them, the others OR them) or drop (Flatten, Reshape, Permute warn),
# and Layer.weights / trainable_weights / count_params with their variable paths.
# values not compared: stack_out
import numpy as np
import keras
from keras import layers

feats = np.array(
    [[[1.0, 2.0], [3.0, -4.0], [0.0, 0.0]], [[5.0, -6.0], [0.0, 0.0], [0.0, 0.0]]], dtype="float32"
)
other = np.array(
    [[[0.5, 0.5], [0.0, 0.0], [2.0, 1.0]], [[-1.0, 3.0], [4.0, 0.0], [0.0, 0.0]]], dtype="float32"
)
masked = layers.Masking()(feats)
masked_other = layers.Masking()(other)
concat_feat = layers.Concatenate()([masked, masked_other])
concat_time = layers.Concatenate(axis=1)([masked, masked_other])
concat_half = layers.Concatenate()([masked, other])
summed = layers.Add()([masked, masked_other])
summed_half = layers.Add()([masked, other])
diff = layers.Subtract()([masked, masked_other])
prod = layers.Multiply()([masked, masked_other])
avg = layers.Average()([masked, masked_other, masked])
biggest = layers.Maximum()([masked, masked_other])
smallest = layers.Minimum()([masked, masked_other])
fn_sum = layers.add([feats, other])
fn_cat = layers.concatenate([feats, other], axis=1)
relu = layers.Activation("relu")(masked)
sig = layers.Activation("sigmoid")(feats)
flat = layers.Flatten()(masked)
flat_cf = layers.Flatten(data_format="channels_first")(feats)
reshaped = layers.Reshape((2, 3))(masked)
reshaped_infer = layers.Reshape((-1, 1))(feats)
permuted = layers.Permute((2, 1))(masked)
broadcast_sum = layers.Add()([feats, np.ones((2, 2), dtype="float32")])
int_avg = layers.Average()([np.arange(6).reshape(2, 3), np.ones((2, 3), dtype="int64")])
print(concat_feat._keras_mask, concat_time._keras_mask, concat_half._keras_mask)
print(summed._keras_mask, hasattr(summed_half, "_keras_mask"))
print(prod)
print(prod._keras_mask)
print(biggest)
print(smallest)
print(avg)
print(hasattr(flat, "_keras_mask"), hasattr(reshaped, "_keras_mask"), hasattr(permuted, "_keras_mask"))
print(relu._keras_mask)
print(int_avg)

# functional: two Inputs, masks merged symbolically
a_in = keras.Input(shape=(None, 2))
b_in = keras.Input(shape=(None, 2))
a_m = layers.Masking()(a_in)
b_m = layers.Masking()(b_in)
merged = layers.Concatenate()([a_m, b_m])
print(merged, merged._keras_mask)
added = layers.Add()([a_m, b_m])
print(added, added._keras_mask)
model = keras.Model([a_in, b_in], [merged, layers.Dense(3, kernel_initializer="ones")(added)])
model_cat, model_dense = model([feats, other])
model_mask = model_dense._keras_mask
print(model.count_params(), [w.path for w in model.weights])

seq = keras.Sequential([layers.Flatten(), layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros"), layers.Activation("relu")])
seq_out = seq(feats)
print([w.path for w in seq.weights], seq.count_params())
print(seq.layers[1].kernel)
print([w.name for w in seq.trainable_weights], seq.non_trainable_weights)
seq.trainable = False
print(len(seq.trainable_weights), len(seq.non_trainable_weights))

dense = layers.Dense(4)
try:
    dense.count_params()
except ValueError as e:
    print("ValueError:", e)
try:
    layers.Concatenate()([feats, np.ones((2, 5, 3), dtype="float32")])
except ValueError as e:
    print("ValueError:", e)
try:
    layers.Add()([feats, np.ones((2, 4, 2), dtype="float32")])
except ValueError as e:
    print("ValueError:", e)
try:
    layers.Reshape((4, 4))(feats)
except ValueError as e:
    print("ValueError:", "total size" in str(e))
try:
    layers.Activation("no_such")
except ValueError as e:
    print("ValueError:", e)
try:
    layers.Permute((2, 1))(np.ones((2, 3), dtype="float32"))
except ValueError as e:
    print("ValueError:", e)
sym_in = keras.Input((None, 3))
print(layers.Flatten()(sym_in), layers.Reshape((-1, 6))(sym_in), layers.Permute((2, 1))(sym_in))


class Stack(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [layers.Dense(2), layers.Dense(3)]

    def call(self, x):
        return self.blocks[1](self.blocks[0](x))


stack = Stack()
stack_out = stack(np.ones((1, 4), dtype="float32"))
print([w.path for w in stack.weights], stack.count_params())
layers.Subtract()([feats, other, feats])
