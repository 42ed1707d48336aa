# A Hugging Face-style config: __getattribute__ and __setattr__ route names
# through a class-level attribute_map (hidden_size -> d_model) with
# super().__getattribute__ / super().__setattr__, and extra kwargs become
# attributes; the mask is sized from the mapped names.
import torch


class PretrainedConfig:
    model_type = ""
    attribute_map = {}

    def __setattr__(self, key, value):
        if key in super().__getattribute__("attribute_map"):
            key = super().__getattribute__("attribute_map")[key]
        super().__setattr__(key, value)

    def __getattribute__(self, key):
        if key != "attribute_map" and key in super().__getattribute__("attribute_map"):
            key = super().__getattribute__("attribute_map")[key]
        return super().__getattribute__(key)

    def __init__(self, **kwargs):
        self.output_attentions = kwargs.pop("output_attentions", False)
        for key, value in kwargs.items():
            setattr(self, key, value)


class T5LikeConfig(PretrainedConfig):
    model_type = "t5"
    attribute_map = {"hidden_size": "d_model", "num_attention_heads": "num_heads", "num_hidden_layers": "num_layers"}

    def __init__(self, d_model=8, num_heads=2, num_layers=1, sliding_window=None, **kwargs):
        self.d_model = d_model
        self.num_heads = num_heads
        self.num_layers = num_layers
        self.sliding_window = sliding_window
        super().__init__(**kwargs)


class Lazy:
    def __init__(self):
        self.built = 1

    def __getattribute__(self, name):
        if name.startswith("mask_"):
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    def __getattr__(self, name):
        return "fallback:" + name


config = T5LikeConfig(hidden_size=6, num_attention_heads=3, sliding_window=2, output_attentions=True)
hidden = config.hidden_size
heads = config.num_attention_heads
d_model = config.d_model
layers = config.num_hidden_layers
has_window = hasattr(config, "sliding_window")
missing = hasattr(config, "rope_theta")
names = sorted(vars(config))
head_dim = config.hidden_size // config.num_attention_heads
n = 5
i = torch.arange(n)[:, None]
j = torch.arange(n)[None, :]
window_mask = (j <= i) & (j > i - config.sliding_window)
lazy = Lazy()
built = lazy.built
fallback = lazy.mask_padding
