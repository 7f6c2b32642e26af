"""The lab's exports checked by Python's own tools (run by scripts/python-check.sh, `npm run check:python`).

1. The PyTorch folder of `pebench export --format pytorch` loads with
   AutoModelForImageTextToText.from_pretrained(..., trust_remote_code=True) and AutoProcessor, and its
   greedy tokens equal `pebench ask` on fresh renders of the exported world.
2. Every shipped ONNX file passes onnx.checker with full_check.
3. The world export loads with datasets.load_dataset(DIR): its splits have the sizes world.json and
   splits.json say, and the card's YAML names every split.
Environment: PEBENCH_PYTORCH_DIR, PEBENCH_WORLD_DIR (set by the script), PEBENCH_PARITY_CASES (default 24).
"""
import glob
import json
import os
import subprocess
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTORCH_DIR = os.environ.get("PEBENCH_PYTORCH_DIR", os.path.join(ROOT, ".tmp/python-check/pytorch"))
WORLD_DIR = os.environ.get("PEBENCH_WORLD_DIR", os.path.join(ROOT, ".tmp/python-check/world"))
CASES = int(os.environ.get("PEBENCH_PARITY_CASES", "24"))
ANSWER_TOKENS = 48  # src/model/question-check.ts: what `pebench ask` generates at most
SET_KEYS = {
    "forget": lambda s: [i for t in s["targets"] for i in t["forgetItems"]],
    "generality": lambda s: [i for t in s["targets"] for i in t["generalityItems"]],
    "retain": lambda s: s["retainItems"],
    "retain_train": lambda s: s["retainTrainItems"],
    "scope": lambda s: s["scopeItems"],
    "utility": lambda s: s["utilityItems"],
    "text_forget": lambda s: s["textItems"]["forget"],
    "text_retain": lambda s: s["textItems"]["retain"],
}


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def card_yaml(path):
    import yaml

    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("---\n"), "the dataset card has no YAML front matter"
    return yaml.safe_load(text.split("---\n")[1])


def ask(image_path, question):
    """The lab's greedy answer token ids (with <eos>) from `pebench ask --json`."""
    out = subprocess.run(
        ["node", os.path.join(ROOT, "bin/pebench.mjs"), "ask", "--image", image_path, "--question", question, "--json"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    return [t["id"] for t in json.loads(out.stdout)["tokens"]]


class PytorchExport(unittest.TestCase):
    def test_greedy_tokens_equal_pebench_ask_on_fresh_renders(self):
        import torch
        from PIL import Image
        from transformers import AutoModelForImageTextToText, AutoProcessor

        model = AutoModelForImageTextToText.from_pretrained(PYTORCH_DIR, trust_remote_code=True).eval()
        processor = AutoProcessor.from_pretrained(PYTORCH_DIR, trust_remote_code=True)
        self.assertFalse(torch.equal(model.language_model.lm_head.weight, model.get_input_embeddings().weight))
        with open(os.path.join(WORLD_DIR, "fresh/metadata.jsonl"), encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        step = max(1, len(rows) // CASES)
        cases = []
        for i, row in enumerate(rows[::step][:CASES]):
            kinds = ["identity", "event", "attribute", "object"]
            qa = [q for q in row["qa"] if q["type"] == kinds[i % len(kinds)]] or row["qa"]
            cases.append((os.path.join(WORLD_DIR, "fresh", row["file_name"]), qa[i % len(qa)]["question"]))
        eos = processor.tokenizer.eos_token_id
        matched = 0
        for path, question in cases:
            messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]}]
            prompt = processor.apply_chat_template(messages, add_generation_prompt=True)
            inputs = processor(images=Image.open(path), text=prompt, return_tensors="pt")
            with torch.no_grad():
                out = model.generate(**inputs, max_new_tokens=ANSWER_TOKENS, do_sample=False)
            theirs = out[0, inputs["input_ids"].shape[1]:].tolist()
            theirs = theirs[: theirs.index(eos) + 1] if eos in theirs else theirs
            ours = ask(path, question)
            self.assertEqual(theirs, ours, f"{os.path.basename(path)}: {question!r}: PyTorch {processor.decode(theirs)!r}")
            matched += 1
        print(f"\nPyTorch greedy tokens equal `pebench ask` on {matched} of {len(cases)} fresh renders")
        self.assertGreaterEqual(matched, 20)

    def test_processor_resizes_other_sizes_to_the_model_size(self):
        from PIL import Image
        from transformers import AutoProcessor

        processor = AutoProcessor.from_pretrained(PYTORCH_DIR, trust_remote_code=True)
        size = read_json(os.path.join(PYTORCH_DIR, "config.json"))["vision_config"]["image_size"]
        prompt = processor.apply_chat_template(
            [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Who is this person?"}]}],
            add_generation_prompt=True,
        )
        inputs = processor(images=Image.new("RGB", (100, 37), "white"), text=prompt, return_tensors="pt")
        self.assertEqual(list(inputs["pixel_values"].shape), [1, 3, size, size])
        image_tokens = int((inputs["input_ids"] == processor.tokenizer.convert_tokens_to_ids("<image>")).sum())
        self.assertEqual(image_tokens, read_json(os.path.join(PYTORCH_DIR, "config.json"))["image_seq_length"])

    def test_model_card_has_yaml_metadata_with_license(self):
        meta = card_yaml(os.path.join(PYTORCH_DIR, "README.md"))
        self.assertEqual(meta["license"], "mit")
        self.assertEqual(meta["pipeline_tag"], "image-text-to-text")


class ShippedOnnx(unittest.TestCase):
    def test_every_shipped_onnx_file_passes_the_full_checker(self):
        import onnx

        paths = sorted(glob.glob(os.path.join(ROOT, "models/*/onnx/*.onnx")))
        self.assertGreater(len(paths), 0)
        for path in paths:
            onnx.checker.check_model(path, full_check=True)
        print(f"\nonnx.checker full_check passed on {len(paths)} shipped ONNX files")


class WorldDataset(unittest.TestCase):
    def test_splits_load_with_the_sizes_of_world_json_and_splits_json(self):
        from datasets import load_dataset

        world = read_json(os.path.join(WORLD_DIR, "world.json"))["config"]
        pairs = world["persons"] * world["events"]
        images = load_dataset(WORLD_DIR)
        self.assertEqual(sorted(images.keys()), ["fresh", "train"])
        self.assertEqual(images["train"].num_rows, pairs)
        self.assertEqual(images["fresh"].num_rows, pairs * world["freshPerPair"])
        self.assertEqual(set(images["train"]["variant"]), {0})
        self.assertNotIn(0, set(images["fresh"]["variant"]))
        first = images["fresh"][0]
        self.assertEqual(first["image"].mode, "RGB")
        self.assertEqual(first["qa"][0]["answer_normalized"], first["qa"][0]["answer_normalized"].lower())

        splits = read_json(os.path.join(WORLD_DIR, "splits.json"))
        checked = 0
        for name, record in splits.items():
            if "splits" not in record:
                continue
            sets = load_dataset(WORLD_DIR, name)
            for set_name, items in SET_KEYS.items():
                expected = len(items(record["splits"]))
                if set_name.startswith("text_"):
                    path = os.path.join(WORLD_DIR, "requests", name, f"{set_name}.jsonl")
                    rows = load_dataset("json", data_files=path)["train"].num_rows if expected else 0
                else:
                    rows = sets[set_name].num_rows if set_name in sets else 0
                    if rows:
                        self.assertEqual(sets[set_name][0]["image"].mode, "RGB")
                self.assertEqual(rows, expected, f"{name}/{set_name}")
                checked += 1
        print(f"\ndatasets: train {images['train'].num_rows}, fresh {images['fresh'].num_rows} rows; {checked} request sets match splits.json")

    def test_card_yaml_names_every_split(self):
        meta = card_yaml(os.path.join(WORLD_DIR, "README.md"))
        self.assertEqual(meta["license"], "mit")
        configs = {c["config_name"]: [f["split"] for f in c["data_files"]] for c in meta["configs"]}
        self.assertEqual(configs["default"], ["train", "fresh"])
        for name, record in read_json(os.path.join(WORLD_DIR, "splits.json")).items():
            if "splits" in record:
                nonempty = [s for s, items in SET_KEYS.items() if items(record["splits"]) and not s.startswith("text_")]
                self.assertEqual(configs[name], nonempty)


if __name__ == "__main__":
    unittest.main()
