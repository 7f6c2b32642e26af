"""One PEBench forget request with a plain PyTorch loop, on the lab's exports (README: Taking it further).

    npx pebench world --out pebench-world
    npx pebench export --format pytorch --out pe-tiny-pt
    python3 python/unlearn_example.py --world pebench-world --model pe-tiny-pt --request persons --steps 20

Gradient difference (the shape of open-unlearning's GradDiff): each step ascends the loss of a batch of
the request's `forget` split and descends the loss of a batch of `retain_train`. Before and after, it
prints the exact-match rate (greedy answer == `answer_normalized`) on samples of `forget`,
`generality` and `retain`. A starting point, not a tuned method.
"""
import argparse
import random

import torch
from datasets import load_dataset
from transformers import AutoModelForImageTextToText, AutoProcessor


def messages(question, answer=None):
    turns = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]}]
    if answer is not None:
        turns.append({"role": "assistant", "content": [{"type": "text", "text": answer}]})
    return turns


def batch_loss(model, processor, rows):
    """Mean cross-entropy of the answers (prompt tokens masked) of image rows."""
    losses = []
    for row in rows:
        image = row["image"]  # the configuration loads each row's image
        prompt = processor.apply_chat_template(messages(row["question"]), add_generation_prompt=True)
        full = processor.apply_chat_template(messages(row["question"], row["answer"]))
        prompt_len = processor(images=image, text=prompt, return_tensors="pt")["input_ids"].shape[1]
        inputs = processor(images=image, text=full, return_tensors="pt")
        labels = inputs["input_ids"].clone()
        labels[:, :prompt_len] = -100
        losses.append(model(**inputs, labels=labels).loss)
    return torch.stack(losses).mean()


@torch.no_grad()
def exact_match(model, processor, rows):
    hits = 0
    for row in rows:
        image = row["image"]  # the configuration loads each row's image
        prompt = processor.apply_chat_template(messages(row["question"]), add_generation_prompt=True)
        inputs = processor(images=image, text=prompt, return_tensors="pt")
        out = model.generate(**inputs, max_new_tokens=48, do_sample=False)
        answer = processor.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
        hits += answer.strip() == row["answer_normalized"]
    return hits / max(1, len(rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--world", required=True, help="folder written by `npx pebench world`")
    parser.add_argument("--model", required=True, help="folder written by `npx pebench export --format pytorch`")
    parser.add_argument("--request", default="persons", help="persons, events or joint")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--eval", type=int, default=40, help="questions scored per set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    random.seed(args.seed)
    torch.manual_seed(args.seed)
    sets = load_dataset(args.world, args.request)
    model = AutoModelForImageTextToText.from_pretrained(args.model, trust_remote_code=True)
    processor = AutoProcessor.from_pretrained(args.model, trust_remote_code=True)
    sample = {name: random.sample(list(sets[name]), min(args.eval, sets[name].num_rows)) for name in ("forget", "generality", "retain")}

    def report(when):
        model.eval()
        scores = ", ".join(f"{name} {exact_match(model, processor, rows):.2f}" for name, rows in sample.items())
        print(f"{when}: exact match {scores}", flush=True)

    report("before")
    forget, retain = list(sets["forget"]), list(sets["retain_train"])
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    for step in range(1, args.steps + 1):
        model.train()
        loss_forget = batch_loss(model, processor, random.sample(forget, min(args.batch, len(forget))))
        loss_retain = batch_loss(model, processor, random.sample(retain, min(args.batch, len(retain))))
        loss = -loss_forget + loss_retain
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        print(f"step {step}: forget loss {loss_forget.item():.3f}, retain loss {loss_retain.item():.3f}", flush=True)
    report("after")


if __name__ == "__main__":
    main()
