// Rewrites the files of model folders that are not weights (configs, tokenizer and processor files,
// chat template) with what today's exporter writes, and their manifests, keeping the weights and the
// manifest's metadata. For folders exported before a config file changed (e.g. the processor's resize
// and chat template). Refuses a folder whose ONNX graphs today's exporter would not write byte for byte
// (then the model must be exported again from its parameters, not refreshed).
// Usage: npx tsx scripts/refresh-model-files.ts models/pebench-tiny [more folders...]
import { resolve } from 'node:path';
import { loadModel, modelFiles } from '../src/model/export.ts';
import { INFERENCE_FILES } from '../src/model/inference.ts';
import { MANIFEST_FILE, buildManifest } from '../src/model/manifest.ts';
import { FolderFiles } from '../src/model/node-files.ts';

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx scripts/refresh-model-files.ts MODEL_DIR [MODEL_DIR...]');
  process.exit(2);
}
for (const dir of dirs) {
  const folder = new FolderFiles(resolve(dir));
  const model = await loadModel(folder);
  const files = modelFiles(model.cfg, model.params, model.tokenizer);
  for (const path of Object.values(INFERENCE_FILES)) {
    if (!sameBytes(files.get(path)!, model.files.get(path)!)) {
      console.error(`${dir}: today's exporter writes ${path} differently; export the model again instead of refreshing it`);
      process.exit(1);
    }
  }
  const manifest = await buildManifest(files, model.cfg, model.manifest.meta);
  const changed = [...files].filter(([path, bytes]) => !model.files.has(path) || !sameBytes(bytes, model.files.get(path)!)).map(([path]) => path);
  if (changed.length === 0) {
    console.log(`${dir}: up to date (model hash ${manifest.modelHash.slice(0, 12)})`);
    continue;
  }
  for (const path of changed) await folder.write(path, files.get(path)!);
  await folder.write(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
  console.log(`${dir}: rewrote ${changed.join(', ')}; model hash ${model.manifest.modelHash.slice(0, 12)} -> ${manifest.modelHash.slice(0, 12)}`);
}
