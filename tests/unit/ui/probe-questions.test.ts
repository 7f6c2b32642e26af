// The probe's offered questions: every preset and every listed trained wording uses only words the
// shipped model knows (read as the page reads them, from the model folder's tokenizer.json) and is a
// trained, not held-out, wording of the world; "cake" is marked as unknown, and a missing file says so.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { questionForm } from '../../../src/eval/question-form.ts';
import { unknownWordsIn } from '../../../src/model/question-words.ts';
import { fetchModelTokenizer } from '../../../src/ui/lab/model-vocabulary.ts';
import { OBJECT_NOUNS, eventObjectNoun, presetQuestions, trainedForms } from '../../../src/ui/lab/probe-questions.ts';
import { DEFAULT_WORLD_CONFIG, createWorld } from '../../../src/world/index.ts';

const world = createWorld();
const example = { personName: world.persons[5].fullName, objectNoun: eventObjectNoun(DEFAULT_WORLD_CONFIG, 13) };
const folder = 'http://lab.test/models/pebench-tiny/';
const shippedFetch = async (url: string) => {
  const path = url.replace('http://lab.test/', '');
  try {
    return new Response(readFileSync(path));
  } catch {
    return new Response('not found', { status: 404 });
  }
};
const tokenizer = await fetchModelTokenizer(folder, shippedFetch);

describe('probe questions', () => {
  it('the page reads the model folder\'s vocabulary and marks a word the model never learnt', async () => {
    expect(tokenizer.size).toBeGreaterThan(900);
    expect(unknownWordsIn(tokenizer, 'Is there a cake in the image?')).toEqual(['cake']);
    await expect(fetchModelTokenizer('http://lab.test/models/none/', shippedFetch)).rejects.toThrow('models/none/tokenizer.json: HTTP 404');
  });

  it('presets and listed wordings are trained wordings made of known words', () => {
    const questions = [...presetQuestions(example), ...trainedForms(example).flatMap((f) => f.wordings)];
    expect(questions.length).toBeGreaterThan(60);
    for (const question of questions) {
      expect(unknownWordsIn(tokenizer, question), question).toEqual([]);
      expect(questionForm(world, question), question).toMatchObject({ heldOut: false });
    }
    expect(presetQuestions(example)).not.toContain('Is there a cake in the image?');
  });

  it('every object noun is a known word', () => {
    for (const noun of OBJECT_NOUNS) expect(unknownWordsIn(tokenizer, noun), noun).toEqual([]);
  });
});
