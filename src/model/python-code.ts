// The Python files of the exported PyTorch folder, loaded by `transformers` with
// trust_remote_code=True through config.json's auto_map: configuration_pe_tiny.py (the config: a
// Llama text_config plus the vision tower's and projector's sizes) and modeling_pe_tiny.py (the
// vision tower and projector in plain torch, the decoder a stock LlamaForCausalLM). The maths is the
// one of vision.ts, projector.ts and decoder.ts op for op (patchify as a reshape, pre-LayerNorm ViT
// with fused qkv, exact GELU, 2x2 patch merging by concatenation). Image features replace the
// embeddings of the `<image>` tokens of a prompt; later decoding steps (no `<image>` in input_ids)
// skip the vision tower. Not here: weights (pytorch-weights.ts) or the folder (pytorch-export.ts).

export const CONFIGURATION_PY = String.raw`"""PE-Tiny configuration: a Llama text_config plus the sizes of the vision tower and projector."""
try:
    from transformers import PreTrainedConfig as _BaseConfig
except ImportError:  # transformers 4.x
    from transformers import PretrainedConfig as _BaseConfig
from transformers import LlamaConfig


class PeTinyConfig(_BaseConfig):
    model_type = "pe_tiny"
    sub_configs = {"text_config": LlamaConfig}

    def __init__(self, text_config=None, vision_config=None, projector_config=None, image_token_index=4,
                 image_seq_length=16, tie_word_embeddings=False, **kwargs):
        if isinstance(text_config, dict):
            text_config = LlamaConfig(**text_config)
        self.text_config = text_config if text_config is not None else LlamaConfig()
        self.vision_config = dict(vision_config or {})
        self.projector_config = dict(projector_config or {})
        self.image_token_index = image_token_index
        self.image_seq_length = image_seq_length
        super().__init__(tie_word_embeddings=tie_word_embeddings, **kwargs)
`;

export const MODELING_PY = String.raw`"""PE-Tiny in PyTorch: a small ViT (no CLS token, no pre-LayerNorm, patches as a reshape), a projector
that concatenates 2x2 neighbouring patch features and maps them through a GELU MLP, and a stock
LlamaForCausalLM decoder. Image features replace the embeddings of the <image> tokens."""
import math

import torch
from torch import nn
from transformers import GenerationMixin, LlamaForCausalLM, PreTrainedModel

from .configuration_pe_tiny import PeTinyConfig


class PeTinyVisionBlock(nn.Module):
    def __init__(self, width, heads, mlp, eps):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width, eps=eps)
        self.qkv = nn.Linear(width, 3 * width)
        self.o = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width, eps=eps)
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)

    def attention(self, x):
        b, n, w = x.shape
        head = w // self.heads
        q, k, v = (t.reshape(b, n, self.heads, head).transpose(1, 2) for t in self.qkv(x).split(w, dim=-1))
        probs = torch.softmax((q * (1.0 / math.sqrt(head))) @ k.transpose(-1, -2), dim=-1)
        return self.o((probs @ v).transpose(1, 2).reshape(b, n, w))

    def forward(self, x):
        x = x + self.attention(self.ln1(x))
        return x + self.fc2(nn.functional.gelu(self.fc1(self.ln2(x))))


class PeTinyVisionTower(nn.Module):
    def __init__(self, config):
        super().__init__()
        v = config.vision_config
        self.patch = v["patch_size"]
        patches = (v["image_size"] // self.patch) ** 2
        self.patch_embed = nn.Linear(v["num_channels"] * self.patch * self.patch, v["hidden_size"])
        self.pos_embed = nn.Parameter(torch.zeros(patches, v["hidden_size"]))
        self.layers = nn.ModuleList(
            PeTinyVisionBlock(v["hidden_size"], v["num_attention_heads"], v["intermediate_size"], v["layer_norm_eps"])
            for _ in range(v["num_hidden_layers"])
        )
        self.ln_post = nn.LayerNorm(v["hidden_size"], eps=v["layer_norm_eps"])

    def forward(self, pixel_values):
        b, c, h, w = pixel_values.shape
        p = self.patch
        patches = pixel_values.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5)
        x = self.patch_embed(patches.reshape(b, (h // p) * (w // p), c * p * p)) + self.pos_embed
        for layer in self.layers:
            x = layer(x)
        return self.ln_post(x)


class PeTinyProjector(nn.Module):
    def __init__(self, config):
        super().__init__()
        width = config.vision_config["hidden_size"]
        self.merge = config.projector_config["merge"]
        self.fc1 = nn.Linear(self.merge * self.merge * width, config.projector_config["hidden_size"])
        self.fc2 = nn.Linear(config.projector_config["hidden_size"], config.text_config.hidden_size)

    def forward(self, patches):
        b, n, w = patches.shape
        m = self.merge
        side = math.isqrt(n)
        t = side // m
        merged = patches.reshape(b, t, m, t, m, w).permute(0, 1, 3, 2, 4, 5).reshape(b, t * t, m * m * w)
        return self.fc2(nn.functional.gelu(self.fc1(merged)))


class PeTinyPreTrainedModel(PreTrainedModel):
    config_class = PeTinyConfig
    base_model_prefix = "model"
    main_input_name = "input_ids"
    _no_split_modules = ["PeTinyVisionBlock", "LlamaDecoderLayer"]
    _supports_sdpa = True
    _supports_attention_backend = True


class PeTinyForConditionalGeneration(PeTinyPreTrainedModel, GenerationMixin):
    def __init__(self, config):
        super().__init__(config)
        self.vision_tower = PeTinyVisionTower(config)
        self.projector = PeTinyProjector(config)
        self.language_model = LlamaForCausalLM(config.text_config)
        self.post_init()

    def get_input_embeddings(self):
        return self.language_model.get_input_embeddings()

    def set_input_embeddings(self, value):
        self.language_model.set_input_embeddings(value)

    def get_output_embeddings(self):
        return self.language_model.get_output_embeddings()

    def get_image_features(self, pixel_values):
        """(B, 3, S, S) normalised pixels -> (B, image tokens, decoder width)."""
        return self.projector(self.vision_tower(pixel_values))

    def forward(self, input_ids=None, pixel_values=None, attention_mask=None, position_ids=None, past_key_values=None,
                inputs_embeds=None, labels=None, use_cache=None, **kwargs):
        if inputs_embeds is None:
            inputs_embeds = self.get_input_embeddings()(input_ids)
            is_image = input_ids == self.config.image_token_index
            if pixel_values is not None and bool(is_image.any()):
                features = self.get_image_features(pixel_values.to(inputs_embeds.dtype))
                if int(is_image.sum()) != features.shape[0] * features.shape[1]:
                    raise ValueError(
                        f"the prompt has {int(is_image.sum())} <image> tokens but the images give "
                        f"{features.shape[0] * features.shape[1]} features: build prompts with the processor"
                    )
                mask = is_image.unsqueeze(-1).expand_as(inputs_embeds)
                inputs_embeds = inputs_embeds.masked_scatter(mask, features.to(inputs_embeds.dtype))
        return self.language_model(inputs_embeds=inputs_embeds, attention_mask=attention_mask, position_ids=position_ids,
                                   past_key_values=past_key_values, labels=labels, use_cache=use_cache, **kwargs)
`;
