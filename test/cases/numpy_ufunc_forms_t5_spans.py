# NumPy's ufunc forms of the operators (np.add, np.equal, np.floor_divide, ...), two
# Python scalars included, as Hugging Face's T5 span-corruption collator uses them
# (random_spans_noise_mask: np.equal(span_num % 2, 1); create_sentinel_ids, filter_input_ids).
import numpy as np
a = np.array([1, 2, 3, 16777217]); b = np.array([3, 2, 1, 0])
f = np.array([0.5, 2.0, -1.5, 16777216.0], dtype=np.float32)
for name in ['add', 'subtract', 'multiply', 'divide', 'true_divide', 'floor_divide', 'remainder', 'mod', 'power',
             'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal']:
    fn = getattr(np, name)
    print(name, repr(fn(a, b)) if name not in ('divide', 'true_divide', 'floor_divide', 'remainder', 'mod') else repr(fn(a, b + 1)),
          repr(fn(a, 2)), repr(fn(2.5, a)), repr(fn(f, 3)), repr(fn(1, 2)), repr(fn(1.5, 2)), repr(fn(f, a)))
print(repr(np.bitwise_and(a, 6)), repr(np.bitwise_or(a, b)), repr(np.bitwise_xor(5, 3)))
print(repr(np.equal(a, 16777217.0)), repr(np.equal(16777217.0, a)), repr(np.greater(a, 2.5)))
print(repr(np.equal([1, 2], [1, 3])), repr(np.add([1.5], 1)), repr(np.multiply(np.float32(2), 3)))
span_num = np.cumsum(np.array([0, 1, 0, 0, 1, 1, 0], dtype=np.int8))
print(repr(np.equal(span_num % 2, 1)))
print(repr(np.float64(1.5) ** 2), repr(np.array(1.5) ** 2), repr(np.array([1.5]) ** 2), repr(np.power(np.array([1.5]), 2)), repr(np.power(1.5, 2)), repr(np.power(2, 3)), repr(np.power(2, 0.5)))

def compute_input_and_target_lengths(inputs_length, noise_density, mean_noise_span_length):
    def _tokens_length_to_inputs_length_targets_length(tokens_length):
        num_noise_tokens = int(round(tokens_length * noise_density))
        num_nonnoise_tokens = tokens_length - num_noise_tokens
        num_noise_spans = int(round(num_noise_tokens / mean_noise_span_length))
        _input_length = num_nonnoise_tokens + num_noise_spans + 1
        _output_length = num_noise_tokens + num_noise_spans + 1
        return _input_length, _output_length

    tokens_length = inputs_length
    while _tokens_length_to_inputs_length_targets_length(tokens_length + 1)[0] <= inputs_length:
        tokens_length += 1
    inputs_length, targets_length = _tokens_length_to_inputs_length_targets_length(tokens_length)
    if noise_density == 0.5 and targets_length > inputs_length:
        tokens_length -= 1
        targets_length -= 1
    return tokens_length, targets_length


class Collator:
    def __init__(self, noise_density=0.15, mean_noise_span_length=3.0, vocab_size=100, eos=1, pad=0):
        self.noise_density = noise_density
        self.mean_noise_span_length = mean_noise_span_length
        self.vocab_size = vocab_size
        self.eos = eos
        self.pad = pad

    def create_sentinel_ids(self, mask_indices):
        start_indices = mask_indices - np.roll(mask_indices, 1, axis=-1) * mask_indices
        start_indices[:, 0] = mask_indices[:, 0]
        sentinel_ids = np.where(start_indices != 0, np.cumsum(start_indices, axis=-1), start_indices)
        sentinel_ids = np.where(sentinel_ids != 0, (self.vocab_size - sentinel_ids), 0)
        sentinel_ids -= mask_indices - start_indices
        return sentinel_ids

    def filter_input_ids(self, input_ids, sentinel_ids):
        batch_size = input_ids.shape[0]
        input_ids_full = np.where(sentinel_ids != 0, sentinel_ids, input_ids)
        input_ids = input_ids_full[input_ids_full >= 0].reshape((batch_size, -1))
        input_ids = np.concatenate(
            [input_ids, np.full((batch_size, 1), self.eos, dtype=np.int32)], axis=-1
        )
        return input_ids

    def random_spans_noise_mask(self, length):
        orig_length = length
        num_noise_tokens = int(np.round(length * self.noise_density))
        num_nonnoise_tokens = length - num_noise_tokens
        num_noise_tokens = min(max(num_noise_tokens, 1), length - 1)
        num_noise_spans = int(np.round(min(num_noise_tokens, num_nonnoise_tokens) / self.mean_noise_span_length))
        num_noise_spans = max(num_noise_spans, 1)
        num_nonnoise_tokens = length - num_noise_tokens

        def _random_segmentation(num_items, num_segments):
            mask_indices = np.arange(num_items - 1) < (num_segments - 1)
            np.random.shuffle(mask_indices)
            first_in_segment = np.pad(mask_indices, [[1, 0]])
            segment_id = np.cumsum(first_in_segment)
            _, segment_length = np.unique(segment_id, return_counts=True)
            return segment_length

        noise_span_lengths = _random_segmentation(num_noise_tokens, num_noise_spans)
        nonnoise_span_lengths = _random_segmentation(num_nonnoise_tokens, num_noise_spans)
        interleaved_span_lengths = np.reshape(
            np.stack([nonnoise_span_lengths, noise_span_lengths], axis=1), [num_noise_spans * 2]
        )
        span_starts = np.cumsum(interleaved_span_lengths)[:-1]
        span_start_indicator = np.zeros((length,), dtype=np.int8)
        span_start_indicator[span_starts] = True
        span_num = np.cumsum(span_start_indicator)
        is_noise = np.equal(span_num % 2, 1)
        return is_noise[:orig_length]


np.random.seed(0)
print(compute_input_and_target_lengths(32, 0.15, 3.0))
c = Collator(noise_density=0.3, mean_noise_span_length=2.0)
input_ids = np.random.randint(2, 90, size=(2, 16)).astype(np.int32)
mask_indices = np.asarray([c.random_spans_noise_mask(16) for i in range(2)])
print(mask_indices.astype(np.int8))
labels_mask = ~mask_indices
input_ids_sentinel = c.create_sentinel_ids(mask_indices.astype(np.int8))
labels_sentinel = c.create_sentinel_ids(labels_mask.astype(np.int8))
print(input_ids_sentinel)
inputs = c.filter_input_ids(input_ids, input_ids_sentinel)
labels = c.filter_input_ids(input_ids, labels_sentinel)
print(input_ids)
print(inputs, inputs.dtype)
print(labels)
