// The public face of the fictitious world: build it from a seed, plan and draw its images, ask its
// questions, split it for unlearning. Re-exports only; the pieces live in the files named below, and
// internal helpers of raster/ (canvas, painters, pens) stay private to it.

export * from './types.ts';
export { ALL_FAMILY_NAMES, ALL_GIVEN_NAMES, MAX_PERSONS, MAX_USES_PER_NAME, NAME_POOLS, createNames } from './names.ts';
export type { NamePool, PersonName } from './names.ts';
export { CITIES, JOBS, article } from './cities.ts';
export {
  APPEARANCE_KEYS, MIN_APPEARANCE_DISTANCE, VISIBLE_KEYS, appearanceDistance, createAppearances, createPersons,
  visibleDistance,
} from './persons.ts';
export { EVENTS, createEvents } from './events.ts';
export { WORLD_CONFIG_RANGES, createWorld, imageKeyId, imageKeys, validateWorldConfig } from './world.ts';
export type { ImageKind } from './world.ts';
export {
  ATTRIBUTES_ASKED, ATTRIBUTES_PER_IMAGE, ATTRIBUTE_QUESTIONS, CITY_QUESTIONS, EVENT_ANSWER_KEYWORDS, EVENT_QUESTIONS,
  IDENTITY_QUESTIONS, OBJECT_QUESTIONS, OBJECT_YES_PER_IMAGE, OCCUPATION_QUESTIONS, REFUSAL_ANSWERS, askableAttributes, attributeQuestion,
  eventAnswer, eventQuestions, identityAnswer, identityQuestions, objectQuestion, objectQuestionsFor, questionsFor,
  similarEvents, splitWords, textFactsFor, trainedAttributeQuestions, worldVocabulary,
} from './qa.ts';
export type { QAPair, QuestionType } from './qa.ts';
export {
  DEFAULT_REQUESTS, EVAL_BUDGET, EVENT_RATIOS, FORGET_IMAGES_PER_TARGET, PERSON_RATIOS, PER_TARGET_RANGE,
  TEXT_RETAIN_PERSONS, UTILITY_IMAGES, forgetItemsOf, generalityItemsOf, goalKeepsImage, itemId, makeSplits,
  requestProblem, targetCount,
} from './splits.ts';
export type { ForgetConcept, ForgetRequest, ForgetTarget, SplitItem, Splits } from './splits.ts';
export { findPerson, makeSceneSpec } from './scene.ts';
export { renderImage, renderScene } from './raster/render.ts';
export { RENDER_FINGERPRINT, RENDER_PROBE_KEYS, RENDER_VERSION } from './render-version.ts';
