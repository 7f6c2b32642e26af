// `pebench export`: a model folder (shipped, trained, or saved by `unlearn --save`) in another format.
// --format pytorch writes the folder of src/model/pytorch-export.ts, loaded in Python with
// AutoModelForImageTextToText.from_pretrained(OUT, trust_remote_code=True). The folder is built
// under a temporary name (marked .pebench-output) and renamed at the end; --force replaces only a
// folder pebench wrote. Not here: the files themselves (src/model/pytorch-export.ts).
import { dirname, resolve } from 'node:path';
import { CliError, commandHelp, oneOf, parseFlags, type FlagSpec } from './args.ts';
import type { Command } from './commands.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { checkFreeSpace, checkReplaceableFolder, checkWritableParent } from './output-check.ts';
import { errorCode, writeFolderAtomic } from './safe-write.ts';
import { FolderFiles } from '../model/node-files.ts';
import { PYTORCH_AUTO_CLASS, pytorchFiles } from '../model/pytorch-export.ts';

export const EXPORT_FORMATS = ['pytorch'] as const;

const flags = {
  model: { kind: 'string', help: MODEL_FLAG_HELP },
  format: { kind: 'string', help: `output format: ${EXPORT_FORMATS.join(', ')}`, default: 'pytorch' },
  out: { kind: 'string', help: 'output folder (required; new, empty, or an earlier pebench output with --force)' },
  force: { kind: 'boolean', bare: true, help: 'replace --out if pebench wrote it (never a folder with .git or without .pebench-output)', default: false },
} satisfies Record<string, FlagSpec>;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a model folder for PyTorch / Hugging Face transformers (safetensors + modeling code)',
  help: commandHelp([
    'Usage: npx pebench export [--model DIR] --format pytorch --out OUT [--force]',
    '',
    'Writes OUT/model.safetensors, config.json with auto_map, configuration_pe_tiny.py and',
    'modeling_pe_tiny.py (vision tower and projector; the decoder is a plain Llama), tokenizer and',
    'processor files, chat_template.jinja, README.md (model card) and LICENSE. In Python:',
    `  from transformers import ${PYTORCH_AUTO_CLASS}, AutoProcessor`,
    `  model = ${PYTORCH_AUTO_CLASS}.from_pretrained(OUT, trust_remote_code=True)`,
    'Its greedy answers equal `npx pebench ask` token for token. --model takes any model folder:',
    'the shipped ones, `train` output, or `unlearn --save` output. OUT also gets a .pebench-output marker.',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    oneOf('format', f.format, EXPORT_FORMATS);
    if (typeof f.out !== 'string' || f.out === '') throw new CliError('--out OUT is required (the new folder to write the PyTorch model to).');
    const out = resolve(f.out);
    if (checkReplaceableFolder('--out', out) === 'owned' && !f.force) {
      throw new CliError(`--out ${out} exists and is not empty (an earlier pebench output); choose another folder or pass --force to replace it.`);
    }
    checkWritableParent('--out', out);
    const model = await openModelDir(f.model);
    const files = pytorchFiles(model.cfg, model.params, model.tokenizer, { modelHash: model.manifest.modelHash, meta: model.manifest.meta });
    const bytes = [...files.values()].reduce((sum, data) => sum + data.byteLength, 0);
    checkFreeSpace('--out', dirname(out), bytes);
    try {
      await writeFolderAtomic(out, 'export', async (folder) => {
        const sink = new FolderFiles(folder);
        for (const [path, data] of files) await sink.write(path, data);
      });
    } catch (error) {
      throw new CliError(`could not write --out ${out} (${errorCode(error)}); nothing was left behind: free some space or choose another folder.`, 1);
    }
    console.log(`wrote ${files.size} files (${(bytes / 1e6).toFixed(1)} MB) to ${out}`);
    console.log(`load it in Python: ${PYTORCH_AUTO_CLASS}.from_pretrained(${JSON.stringify(out)}, trust_remote_code=True)`);
    return 0;
  },
};
