// Preview with Arguments… on a method of an nn.Module: `self` is built by
// calling the class with small sizes that agree with the examples
// (src/vscode/prefillSelf.ts), so the values inside real models' forward
// methods preview. The fixtures are the real files' model classes; real
// torch 2.13 runs the same argument text to the same shapes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import type { EncodedValue, RunResult } from '../../src/python/result';
import { prefillArguments } from '../../src/vscode/prefill';
import { hasLens } from '../../src/vscode/callLookup';
import { defLines } from '../../src/python/outline';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures', name), 'utf8');

/** The prefill for `fn` in `source`, and the preview call it makes. */
function offer(source: string, fn: string, ran?: RunResult) {
  const r = ran ?? evaluate(source, { recordTimeline: true, continueAfterError: true });
  const info = r.functions!.find((f) => f.function === fn);
  assert.ok(info, `no ${fn}`);
  const args = prefillArguments(info, source, r);
  const previewed = evaluate(source, { recordTimeline: true, continueAfterError: true, previewCall: { function: fn, args } });
  const call = previewed.calls!.find((c) => c.function === fn && c.calledFrom === 0);
  return { args, call, errors: previewed.errors };
}

const shape = (v: EncodedValue | undefined) => (v && 'shape' in v ? v.shape : undefined);

test('the Annotated Transformer: self built from the file\'s own sub-modules, every layer\'s forward previews', () => {
  const src = fixture('annotated_transformer_model.py');
  const r = evaluate(src, { recordTimeline: true, continueAfterError: true });
  assert.deepEqual(r.errors, []);
  const layerNorm = offer(src, 'LayerNorm.forward', r);
  assert.equal(layerNorm.args, 'LayerNorm(8), torch.randn(2, 4, 8)');
  assert.deepEqual(layerNorm.errors, []);
  assert.deepEqual(shape(layerNorm.call?.timeline.find((s) => s.name === 'mean')?.value), [2, 4, 1]);
  // a parameter the body calls gets a callable
  const sub = offer(src, 'SublayerConnection.forward', r);
  assert.equal(sub.args, 'SublayerConnection(8, 0.0), torch.randn(2, 4, 8), lambda x: x');
  assert.deepEqual(shape(sub.call?.returned?.value), [2, 4, 8]);
  // self_attn and feed_forward are the file's MultiHeadedAttention and PositionwiseFeedForward, d_model divisible by h
  const layer = offer(src, 'EncoderLayer.forward', r);
  assert.equal(layer.args, 'EncoderLayer(8, MultiHeadedAttention(2, 8), PositionwiseFeedForward(8, 16), 0.0), torch.randn(2, 4, 8), torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])');
  assert.deepEqual(layer.errors, []);
  assert.deepEqual(shape(layer.call?.returned?.value), [2, 4, 8]);
  const mha = offer(src, 'MultiHeadedAttention.forward', r);
  assert.equal(mha.args, 'MultiHeadedAttention(2, 8), torch.randn(2, 4, 8), torch.randn(2, 4, 8), torch.randn(2, 4, 8), mask=None');
  assert.deepEqual(shape(mha.call?.timeline.filter((s) => s.name === 'query').at(-1)?.value), [2, 2, 4, 4], 'heads split: [B, h, T, d_k]');
  // `encoder` is Encoder, `layer` of Encoder is EncoderLayer; token ids lie below the vocabulary
  const whole = offer(src, 'EncoderDecoder.decode', r);
  assert.match(whole.args, /^EncoderDecoder\(Encoder\(EncoderLayer\(8, .*\), 2\), Decoder\(DecoderLayer\(8, .*\), 2\), Embeddings\(8, 16\), Embeddings\(8, 16\), Generator\(8, 16\)\), /);
  assert.deepEqual(whole.errors, []);
  assert.deepEqual(shape(whole.call?.returned?.value), [2, 4, 8]);
  // the constructor itself previews with the arguments the instance gets
  assert.equal(offer(src, 'PositionalEncoding.__init__', r).args, 'PositionalEncoding(8, 0.0, max_len=8), 8, 0.0, max_len=8');
});

test('nanoGPT: a @dataclass config with its size fields small (defaults kept for the rest)', () => {
  const src = fixture('nanogpt_model.py');
  const attn = offer(src, 'CausalSelfAttention.forward');
  assert.equal(attn.args, 'CausalSelfAttention(GPTConfig(block_size=8, vocab_size=16, n_layer=2, n_head=2, n_embd=8)), torch.randn(2, 4, 8)');
  assert.deepEqual(attn.errors, []);
  assert.deepEqual(shape(attn.call?.timeline.filter((s) => s.name === 'q').at(-1)?.value), [2, 2, 4, 4]);
  // `B, T, C = x.size()` and a `# ... x (B, nh, hs, T)` comment: x is a tensor, not a callable
  const ln = offer(src, 'LayerNorm.forward');
  assert.equal(ln.args, 'LayerNorm(8, True), torch.randn(2, 4, 8)');
  assert.deepEqual(shape(ln.call?.returned?.value), [2, 4, 8]);
});

test('whisper: TextDecoder.forward reads its docstring: tokens (batch_size, <= n_ctx), audio features at the width', () => {
  const src = fixture('whisper_model.py');
  const dec = offer(src, 'TextDecoder.forward');
  assert.equal(dec.args, 'TextDecoder(16, 8, 8, 2, 2), torch.randint(1, 10, (2, 4)), torch.randn(2, 4, 8), kv_cache=None');
  assert.deepEqual(dec.errors, []);
  assert.deepEqual(shape(dec.call?.returned?.value), [2, 4, 16]);
  // a class extending a torch layer without an __init__ of its own
  assert.equal(offer(src, 'LayerNorm.forward').args, 'LayerNorm(8), torch.randn(2, 4, 8)');
  const block = offer(src, 'ResidualAttentionBlock.forward');
  assert.deepEqual(block.errors, []);
  assert.deepEqual(shape(block.call?.returned?.value), [2, 4, 8]);
});

test('a constructor that cannot run: Python\'s error, naming the constructor it was building self with', () => {
  const src = `import torch
from torch import nn
class LayerNorm(nn.Module):
    def __init__(self, features, eps=1e-6):
        super().__init__()
        assert features > 0, "no features"
        self.a_2 = nn.Parameter(torch.ones(features))
    def forward(self, x):
        y = x * self.a_2
        return y
`;
  const missing = evaluate(src, { recordTimeline: true, continueAfterError: true, previewCall: { function: 'LayerNorm.forward', args: 'LayerNorm(), torch.ones(4)' } });
  assert.deepEqual(missing.errors.map((e) => [e.type, e.message, e.line]), [['TypeError', "LayerNorm.__init__() missing 1 required positional argument: 'features' (building self for LayerNorm.forward: LayerNorm())", 8]]);
  const raised = evaluate(src, { recordTimeline: true, continueAfterError: true, previewCall: { function: 'LayerNorm.forward', args: 'LayerNorm(-1), torch.ones(4)' } });
  assert.deepEqual(raised.errors.map((e) => [e.type, e.message, e.line]), [['AssertionError', 'no features (building self for LayerNorm.forward: LayerNorm(-1))', 6]]);
});

test('a method the file already called more than maxRecorded times still previews', () => {
  const src = `import torch
class Scale:
    def __init__(self, k):
        self.k = k
    def forward(self, x):
        y = x * self.k
        return y
for i in range(10):
    Scale(i).forward(torch.ones(2))
`;
  const r = evaluate(src, { recordTimeline: true, continueAfterError: true, previewCall: { function: 'Scale.forward', args: 'Scale(3), torch.ones(2)' } });
  const call = r.calls!.find((c) => c.function === 'Scale.forward' && c.calledFrom === 0);
  assert.equal(call?.call, 11);
  assert.equal(call?.returned?.repr, 'tensor([3., 3.])');
  assert.equal(r.calls!.filter((c) => c.function === 'Scale.forward').length, 9, 'the file\'s own calls stay bounded');
});

test('a @classmethod is called through its class (no cls to offer), a @staticmethod takes no instance', () => {
  const src = `import torch
from torch import nn
class Scaler(nn.Module):
    def __init__(self, k: int):
        super().__init__()
        self.k = k
    @classmethod
    def from_size(cls, n_embd: int):
        made = cls(n_embd)
        return made
    @staticmethod
    def double(x):
        y = x * 2
        return y
`;
  const made = offer(src, 'Scaler.from_size');
  assert.equal(made.args, '4');
  assert.deepEqual(made.errors, []);
  const doubled = offer(src, 'Scaler.double');
  assert.equal(doubled.args, 'torch.randn(2, 4, 8)');
  assert.deepEqual(doubled.errors, []);
  assert.deepEqual(shape(doubled.call?.returned?.value), [2, 4, 8]);
});

test('pytorch/examples word_language_model: ninp/nhid are sizes, rnn_type a string the code expects, sz and bsz sizes', () => {
  const src = fixture('word_language_model.py');
  const r = evaluate(src, { recordTimeline: true, continueAfterError: true });
  const init = offer(src, 'RNNModel.init_hidden', r);
  // rnn_type in ['LSTM', 'GRU'] gives 'LSTM'; ntoken the vocabulary; ninp and nhid widths; bsz a size
  assert.equal(init.args, "RNNModel('LSTM', 16, 8, 8, 2), 4");
  assert.deepEqual(init.errors, []);
  assert.ok(init.call?.returned?.value.type === 'tuple');
  const transformer = offer(src, 'TransformerModel.forward', r);
  assert.match(transformer.args, /^TransformerModel\(16, 8, 2, 8, 2\), /);
  assert.deepEqual(transformer.errors, []);
  // nn.Transformer without batch_first: src is [S, N] = [4, 2] token ids, the output [S, N, ntoken]
  assert.deepEqual(shape(transformer.call?.returned?.value), [4, 2, 16]);
  // the LSTM (getattr(nn, 'LSTM')) gets its (h0, c0) tuple, [nlayers, batch, nhid] each, beside seq-first tokens
  const rnn = offer(src, 'RNNModel.forward', r);
  assert.equal(rnn.args, "RNNModel('LSTM', 16, 8, 8, 2), torch.tensor([[7, 3], [6, 2], [5, 0], [4, 0]]), (torch.zeros(2, 2, 8), torch.zeros(2, 2, 8))");
  assert.deepEqual(rnn.errors, []);
  const square = offer(src, 'TransformerModel._generate_square_subsequent_mask', r);
  assert.equal(square.args, 'TransformerModel(16, 8, 2, 8, 2), 4');
  assert.deepEqual(shape(square.call?.returned?.value), [4, 4]);
});

test('a @property previews through its getter: its lens no longer fails with "\'property\' object is not callable"', () => {
  const src = [
    'import torch',
    'import torch.nn as nn',
    '',
    'class Attn(nn.Module):',
    '    def __init__(self, d_model, n_head):',
    '        super().__init__()',
    '        self.d_model = d_model',
    '        self.n_head = n_head',
    '',
    '    @property',
    '    def causal_mask(self):',
    '        mask = torch.tril(torch.ones(self.n_head, self.n_head, dtype=torch.bool))',
    '        return mask',
    '',
  ].join('\n');
  const prop = offer(src, 'Attn.causal_mask');
  assert.equal(prop.args, 'Attn(8, 2)');
  assert.deepEqual(prop.errors, []);
  assert.deepEqual(shape(prop.call?.returned?.value), [2, 2]);
  assert.deepEqual(shape(prop.call?.timeline.find((s) => s.name === 'mask')?.value), [2, 2]);
});

test('a property\'s @x.setter / @x.deleter gets no lens of its own: it shares the getter\'s name, whose lens previews the getter', () => {
  const src = [
    'class Box:',
    '    def __init__(self):',
    '        self._w = 1',
    '',
    '    @property',
    '    def width(self):',
    '        return self._w',
    '',
    '    @width.setter',
    '    def width(self, value):',
    '        self._w = value * 2',
    '',
    '    @width.deleter',
    '    def width(self):',
    '        del self._w',
    '',
  ].join('\n');
  const r = evaluate(src, { recordTimeline: true, continueAfterError: true });
  const widths = r.functions!.filter((f) => f.function === 'Box.width');
  assert.deepEqual(widths.map((f) => [f.line, f.accessor]), [[6, undefined], [10, 'fset'], [14, 'fdel']]);
  assert.deepEqual(widths.filter(hasLens).map((f) => f.line), [6]);
  // the parse-only lenses (before the evaluation is done) agree
  assert.deepEqual(defLines(src).filter(hasLens).map((d) => d.line), [2, 6]);
  // the getter's lens previews the getter
  const prop = offer(src, 'Box.width');
  assert.equal(prop.args, 'Box()');
  assert.deepEqual(prop.errors, []);
  assert.deepEqual(prop.call?.returned?.value, { type: 'int', value: 1 });
});

test("seq-first modules (nn.Transformer, TransformerEncoder, RNNs without batch_first=True) get [S, N] inputs, [S, S] and [N, S] masks, and an RNN's initial state ((h0, c0) for an LSTM); real torch 2.13 runs the same text to the same shapes", () => {
  const src = fixture('translation_transformer.py');
  const r = evaluate(src, { recordTimeline: true, continueAfterError: true });
  const SEQ_TOKENS = 'torch.tensor([[7, 3], [6, 2], [5, 0], [4, 0]])';
  const CAUSAL = 'torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)';
  const KEY_PADDING = 'torch.tensor([[False, False, False, False], [False, False, True, True]])';
  // shapes from /work/venv/bin/python running each preview call on this fixture
  const expected: [string, string, unknown][] = [
    // trg is embedded through the file's TokenEmbedding (a class wrapping nn.Embedding): token ids too
    ['Seq2SeqTransformer.forward', `Seq2SeqTransformer(2, 2, 8, 2, 16, 16, dim_feedforward=16), ${SEQ_TOKENS}, ${SEQ_TOKENS}, ${CAUSAL}, ${CAUSAL}, ${KEY_PADDING}, ${KEY_PADDING}, ${KEY_PADDING}`, [4, 2, 16]],
    ['Seq2SeqTransformer.decode', `Seq2SeqTransformer(2, 2, 8, 2, 16, 16, dim_feedforward=16), ${SEQ_TOKENS}, torch.randn(4, 2, 8), ${CAUSAL}`, [4, 2, 8]],
    // an encoder over features: src is floats [S, N, E], or [N, S, E] under batch_first=True
    ['Encoder.forward', `Encoder(8, 2, 2), torch.randn(4, 2, 8), ${CAUSAL}, ${KEY_PADDING}`, [4, 2, 8]],
    ['BatchFirstEncoder.forward', `BatchFirstEncoder(8, 2, 2), torch.randn(2, 4, 8), ${CAUSAL}, ${KEY_PADDING}`, [2, 4, 8]],
    // a seq-first GRU's h0: [num_layers, batch, hidden]
    ['SeqTagger.forward', `SeqTagger(16, 8, 8), ${SEQ_TOKENS}, torch.zeros(1, 2, 8)`, [4, 2, 8]],
  ];
  for (const [fn, args, out] of expected) {
    const o = offer(src, fn, r);
    assert.equal(o.args, args, fn);
    assert.deepEqual(o.errors, [], fn);
    assert.deepEqual(shape(o.call?.returned?.value), out, fn);
  }
  // a bidirectional 2-layer batch-first LSTM: hx is a tuple of [2 * 2, batch, hidden]
  const tagger = offer(src, 'Tagger.forward', r);
  assert.equal(tagger.args, 'Tagger(16, 8, 8, 2), torch.tensor([[7, 6, 5, 4], [3, 2, 0, 0]]), (torch.zeros(4, 2, 8), torch.zeros(4, 2, 8))');
  assert.deepEqual(tagger.errors, []);
  const returned = tagger.call?.returned?.value;
  assert.ok(returned && 'items' in returned);
  assert.deepEqual(returned.items.map(shape), [[2, 4, 16], [4, 2, 8], [4, 2, 8]]);
});
