// The world export's dataset card: its YAML parses, says the license, and names every split (train
// and fresh; each request's non-empty sets, with the file that holds them); reference answers come
// in the model's case as well; the set files hold exactly the items of splits.json.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createWorld } from '../../../src/world/index.ts';
import { datasetCard } from '../../../src/cli/world-card.ts';
import { IMAGE_SET_NAMES, SET_NAMES, modelCaseAnswer, requestRecords, setFilePath, setFiles, type SetName } from '../../../src/cli/world-dataset.ts';

const world = createWorld({ persons: 20, events: 10, freshPerPair: 1 });
const requests = requestRecords(world);
const setRows: Record<string, Record<SetName, number>> = {};
for (const [name, record] of Object.entries(requests)) {
  if (!('splits' in record)) continue;
  const files = setFiles(record.splits);
  setRows[name] = Object.fromEntries(SET_NAMES.map((s) => [s, files[s] ? files[s].trimEnd().split('\n').length : 0])) as Record<SetName, number>;
}
const card = datasetCard({ world, imageSize: 64, counts: { train: 200, fresh: 200 }, requests, setRows });
const meta = parse(card.split('---\n')[1]);

describe('world dataset card', () => {
  it('has YAML with the license and a default configuration of train and fresh', () => {
    expect(meta.license).toBe('mit');
    const byName = Object.fromEntries(meta.configs.map((c: { config_name: string }) => [c.config_name, c]));
    expect(byName.default).toEqual({ config_name: 'default', default: true, data_files: [{ split: 'train', path: 'train/**' }, { split: 'fresh', path: 'fresh/**' }] });
  });

  it('names every non-empty image set of every request as a split of its configuration', () => {
    expect(meta.configs.map((c: { config_name: string }) => c.config_name)).toEqual(['default', 'persons', 'events', 'joint']);
    for (const config of meta.configs.slice(1)) {
      const rows = setRows[config.config_name];
      expect(config.data_files.map((f: { split: string }) => f.split)).toEqual(IMAGE_SET_NAMES.filter((s) => rows[s] > 0));
      for (const f of config.data_files) expect(f.path).toBe(`${config.config_name}-${f.split}.jsonl`);
      // imagefolder reads those files as its metadata: their names must be listed.
      expect(config.metadata_filenames).toEqual(config.data_files.map((f: { path: string }) => f.path));
    }
    expect(setRows.events.text_forget).toBe(0); // an events-only request forgets no person's facts
    expect(setFilePath('persons', 'text_retain')).toBe('requests/persons/text_retain.jsonl');
    expect(card).toMatch(/splits\.json, field by field/);
    expect(card).toMatch(/## How to score/);
  });

  it('set files hold exactly the items of splits.json, images by path from the root', () => {
    const record = requests.persons;
    if (!('splits' in record)) throw new Error('persons request unavailable');
    const forget = setFiles(record.splits).forget.trimEnd().split('\n').map((l) => JSON.parse(l));
    const items = record.splits.targets.flatMap((t) => t.forgetItems);
    expect(forget.map((r) => r.question)).toEqual(items.map((i) => i.qa.question));
    expect(forget[0].file_name).toMatch(/^train\/images\/p\d{3}-e\d{2}-v0\.png$/);
    expect(forget[0].answer_normalized).toBe(forget[0].answer.toLowerCase());
  });

  it('writes reference answers the way the model writes them', () => {
    expect(modelCaseAnswer('This is José Müller.')).toBe('this is jose muller.');
    expect(modelCaseAnswer("The person's hair is red, isn't it?")).toBe("the person's hair is red, isn't it?");
  });
});
