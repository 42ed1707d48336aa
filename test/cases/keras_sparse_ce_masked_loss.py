# The TF transformer tutorial's masked loss: SparseCategoricalCrossentropy
# with reduction='none', zeroed on padding (label 0) and averaged over the
# counted targets; Keras 3's ignore_class does the same in one step.
import tensorflow as tf

label = tf.constant([[5, 2, 7, 0], [3, 0, 0, 0]])
pred = tf.constant([[[0.1, 0.2, 0.3, 0.0, 0.5, 0.9, 0.1, 0.4]] * 4, [[0.9, 0.1, 0.2, 0.8, 0.1, 0.0, 0.3, 0.2]] * 4])

loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction='none')
per_token = loss_object(label, pred)
mask = tf.cast(label != 0, dtype=per_token.dtype)
masked_loss = tf.reduce_sum(per_token * mask) / tf.reduce_sum(mask)

ignoring = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
ignored_mean = ignoring(label, pred)
summed = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction='sum')(label, pred)

probs = tf.nn.softmax(pred, axis=-1)
from_probs = tf.keras.losses.sparse_categorical_crossentropy(label, probs)
# (print(per_token) would show all 8 digits of float32: TF's Eigen exp and sum order differ from ours in the last one)
print(masked_loss, ignored_mean)

# the tutorial's masked accuracy: a bool & of matches and the padding mask
pred_ids = tf.cast(tf.argmax(pred, axis=2), label.dtype)
match = (label == pred_ids) & (label != 0)
accuracy = tf.reduce_sum(tf.cast(match, tf.float32)) / tf.reduce_sum(mask)
