# x-transformers binds type aliases at module level: `LayerRange = int | tuple[int, int]`. PEP 604 unions
# and PEP 585 generic aliases evaluate, print as Python writes them and answer isinstance().
import torch
LayerRange = int | tuple[int, int]
RepeatBlockSpec = tuple[LayerRange, int]
RepeatBlocks = tuple[RepeatBlockSpec, ...] | RepeatBlockSpec
print(LayerRange, RepeatBlockSpec, RepeatBlocks)
MaybeTensor = torch.Tensor | None
print(MaybeTensor, int | None, type(int | None), int | int, list[int] | dict[str, int])
print(isinstance(3, int | str), isinstance(None, int | None), isinstance(torch.ones(1), MaybeTensor), isinstance(2.0, int | str))
print(LayerRange.__args__, (int | None).__args__, tuple[int, int].__origin__, list[int]((1, 2)))
def resolve(blocks: RepeatBlocks, mask: torch.Tensor | None = None) -> torch.Tensor | None:
    return mask
print(resolve(((0, 1), 2), torch.ones(2, dtype=torch.bool)))
try:
    isinstance((1, 2), LayerRange)
except TypeError as e:
    print(e)
try:
    int | 3
except TypeError as e:
    print(e)
try:
    None | None
except TypeError as e:
    print(e)
