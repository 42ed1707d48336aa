// torch.nn.attention.flex_attention: the warnings torch gives (recorded in the
// golden files but not compared there), once per evaluation as _warn_once does.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';

const EAGER = 'UserWarning: flex_attention called without torch.compile() - this will use an unfused implementation that materializes the full scores matrix instead of generating a fused kernel.\n\n'
  + 'SOLUTION: Use torch.compile(flex_attention)(...)\n\n'
  + 'If you want to debug your score_mod/mask_mod, you can set:\n'
  + 'torch.nn.attention.flex_attention._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True\n\n'
  + "This will allow you to use print statements or breakpoints. Note: This doesn't work with the backwards pass and may produce incorrect results.";

const LSE = 'FutureWarning: return_lse is deprecated and will be removed in v2.10. Please use return_aux=AuxRequest(lse=True) instead.';

test('flex_attention warns once that it runs without torch.compile, and once for return_lse', () => {
  const r = evaluate(`
import torch
from torch.nn.attention.flex_attention import flex_attention
q = torch.ones(1, 1, 4, 2)
a = flex_attention(q, q, q)
b = flex_attention(q, q, q)
c, lse = flex_attention(q, q, q, return_lse=True)
d, lse = flex_attention(q, q, q, return_lse=True)
`);
  assert.equal(r.error, null);
  assert.deepEqual([...r.warnings].sort(), [LSE, EAGER].sort());
});

test('_FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True silences the eager warning', () => {
  const r = evaluate(`
import torch
import torch.nn.attention.flex_attention as fa
fa._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True
q = torch.ones(1, 1, 4, 2)
out = fa.flex_attention(q, q, q)
`);
  assert.equal(r.error, null);
  assert.deepEqual(r.warnings, []);
});
