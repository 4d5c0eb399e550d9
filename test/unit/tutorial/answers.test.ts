// Reading typed answers, grading them and keeping the score.
import * as assert from 'node:assert/strict';
import {
  addToScore, describeScore, EMPTY_SCORE, grade, gradeText, parseAnswer, publicQuestion,
  type Answer, type AnswerForm, type Posed,
} from '../../../src/tutorial';

function posed(form: AnswerForm, answer: Answer, alsoAccepted: Answer[] = []): Posed {
  return {
    question: { id: 'q', kind: form === 'yes-no' ? 'will-copy' : form === 'count' ? 'frames-after' : form === 'frame' ? 'which-frame' : 'value', form, prompt: 'Which?', choices: form === 'frame' ? [{ id: 'frame:2', label: 'frame 2 (what child heap[1] uses now)' }, { id: 'new', label: 'a new frame' }] : [] },
    solution: { answer, alsoAccepted, answerText: String(answer), explanation: 'Because do_wp_page.' },
  };
}

describe('answers: reading what the learner typed', () => {
  it('reads yes/no in the usual spellings', () => {
    const q = posed('yes-no', true).question;
    for (const yes of ['yes', 'Y', ' true ']) assert.equal(parseAnswer(q, yes), true, yes);
    for (const no of ['no', 'N', 'false', '0']) assert.equal(parseAnswer(q, no), false, no);
    assert.equal(parseAnswer(q, 'maybe'), undefined);
  });

  it('reads counts as whole numbers only', () => {
    const q = posed('count', 5).question;
    assert.equal(parseAnswer(q, ' 5 '), 5);
    assert.equal(parseAnswer(q, '0'), 0);
    for (const bad of ['-1', '2.5', 'five', '', '1e3']) assert.equal(parseAnswer(q, bad), undefined, bad);
  });

  it('reads frames as numbers, choice ids or labels, new, zero and none', () => {
    const q = posed('frame', 'new').question;
    assert.equal(parseAnswer(q, '5'), 'frame:5');
    assert.equal(parseAnswer(q, 'frame 7'), 'frame:7');
    assert.equal(parseAnswer(q, 'frame:2'), 'frame:2');
    assert.equal(parseAnswer(q, 'a new frame'), 'new');
    assert.equal(parseAnswer(q, 'zero page'), 'zero');
    assert.equal(parseAnswer(q, 'not present'), 'none');
    assert.equal(parseAnswer(q, 'the blue one'), undefined);
  });

  it('reads values with or without quotes', () => {
    const q = posed('text', 'v1').question;
    assert.equal(parseAnswer(q, 'v1'), 'v1');
    assert.equal(parseAnswer(q, '"v1"'), 'v1');
    assert.equal(parseAnswer(q, '"a \\"quoted\\" word"'), 'a "quoted" word');
    assert.equal(parseAnswer(q, '""'), '');
  });
});

describe('answers: grading', () => {
  it('marks the right answer and any also-accepted one correct, anything else wrong', () => {
    const p = posed('frame', 'new', ['frame:5']);
    assert.equal(grade(p, 'new').correct, true);
    assert.equal(grade(p, 'frame:5').correct, true);
    const wrong = grade(p, 'frame:2');
    assert.equal(wrong.correct, false);
    assert.equal(wrong.givenText, 'frame 2 (what child heap[1] uses now)');
    assert.equal(wrong.explanation, 'Because do_wp_page.');
  });

  it('treats an answer of the wrong kind, or none, as wrong with a hint', () => {
    const p = posed('count', 3);
    assert.equal(grade(p, undefined).correct, false);
    assert.match(grade(p, undefined).givenText, /a whole number/);
    assert.equal(grade(p, '3').correct, false);
    assert.equal(grade(p, true).correct, false);
    assert.equal(grade(p, 3.5).correct, false);
    assert.equal(gradeText(p, '3').correct, true);
    assert.equal(gradeText(p, 'three').correct, false);
  });

  it('shows only the question, never the solution, before grading', () => {
    const p = posed('count', 3);
    const shown = publicQuestion(p);
    assert.equal(JSON.stringify(shown).includes('do_wp_page'), false);
    assert.deepEqual(Object.keys(shown).sort(), ['choices', 'form', 'id', 'kind', 'prompt']);
  });
});

describe('answers: the score', () => {
  it('counts right answers, per kind, with the current and best streak', () => {
    const count = posed('count', 3);
    const yesNo = posed('yes-no', true);
    let score = EMPTY_SCORE;
    for (const [p, a] of [[count, 3], [yesNo, true], [yesNo, false], [count, 3], [count, 3], [count, 3]] as const) {
      score = addToScore(score, grade(p, a));
    }
    assert.equal(score.asked, 6);
    assert.equal(score.correct, 5);
    assert.equal(score.streak, 3);
    assert.equal(score.bestStreak, 3);
    assert.deepEqual(score.byKind['frames-after'], { asked: 4, correct: 4 });
    assert.deepEqual(score.byKind['will-copy'], { asked: 2, correct: 1 });
    assert.equal(describeScore(score), '5 of 6 right (83%)');
    assert.equal(describeScore(EMPTY_SCORE), 'no questions answered yet');
    assert.equal(EMPTY_SCORE.asked, 0, 'scores are values: adding never changes the old one');
  });
});
