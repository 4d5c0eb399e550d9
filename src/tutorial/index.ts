// The tutorial's pure layer: predict mode, `expect … == ?` questions, seeded exercises (predict
// and reverse), quizzes made from samples, grading and the score. No `vscode`, no Node APIs:
// the CLI (`cow-lab exercise`), the extension (src/tutorial-vscode) and the panel use it alike.
export * from './answers';
export { predictStep, predictOperation, predictQuestions, PREDICT_KINDS, type PredictOptions, type StepResult } from './predict';
export { expectQuestions, type ExpectQuestion, type ExpectQuestionsOutcome } from './expectQuestions';
export {
  createExercise, hidesAnswers, parseExerciseHeader, exerciseHeader, predictAnswers, gradeReverse, reverseGoal, reverseSolution,
  renderPredictAnswers, renderReverseGrade, isSeed,
  type Exercise, type ExerciseKind, type ExerciseHeader, type ReverseGrade,
} from './exercise';
export { MAX_SEED, Random } from './generate';
export { quizFromSample, quizHeader, type Quiz } from './quiz';
export {
  structureOf, compareStructures, renderStructure, describeShape, STRUCTURE_LEGEND,
  type Structure, type StructureComparison, type StructurePage,
} from './structure';
export { describeOperation } from './pages';
export { answerSheet, gradeSheet, type AnswerSheet, type SheetEntry, type SampleReader } from './answerSheet';
export { compareModes, comparisonMarkdown, comparisonTable, withMode, type ComparisonTable, type ModeComparison, type ModeFigures } from './compareModes';
export { PredictSession, type PredictSessionState } from './predictSession';
