# A version gate as model files write it before choosing flash attention
# (x-transformers, Hugging Face): packaging.version parses and compares PEP 440.
import torch
from packaging import version

torch_version = version.parse(torch.__version__)
use_flash = torch_version >= version.parse("2.0.0")
newer_sdpa = torch_version >= version.parse("2.3")
order = [
    version.parse("1.13.1") < version.parse("2.0.0rc1"),
    version.parse("2.0.0rc1") < version.parse("2.0.0"),
    version.parse("2.0.0.dev20230101") < version.parse("2.0.0a1"),
    version.parse("2.0") == version.parse("2.0.0"),
    version.parse("2.0.0.post1") > version.parse("2.0.0"),
    version.parse("2.1.0+cpu") > version.parse("2.1.0"),
    version.parse("1.10") > version.parse("1.9"),
]
parts = (torch_version.major, torch_version.minor, torch_version.micro, torch_version.base_version, torch_version.local)
print(torch_version, version.parse("2.0.0RC1"), version.parse("v1.2-post3"), torch_version.is_prerelease)
mask = torch.ones(2, 3, dtype=torch.bool).tril() if use_flash else None
for t in ["1.0.post", "1.0-3", "2.0.dev", "1.2.post3.dev1", "1!2.0"]:
    v = version.parse(t)
    print(t, str(v), v.is_prerelease, v.is_postrelease, v.is_devrelease, v.local)
