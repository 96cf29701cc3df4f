import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Warnings } from '../../components/Warnings';
import type { Judgment, StageDetailFragment } from '../../gql/graphql';
import { judgmentChoices, judgmentInstructions } from './judgment';
import { JudgeStageMutation } from './queries';

/** Answers a running manual judgment: a choice (when offered), a comment, continue or stop. */
export function JudgmentPanel({ stage }: { stage: StageDetailFragment }) {
  const id = useId();
  const choices = judgmentChoices(stage.context);
  const instructions = judgmentInstructions(stage.context);
  const [choice, setChoice] = useState(choices[0] ?? '');
  const [comment, setComment] = useState('');
  const [state, judge] = useMutation(JudgeStageMutation);
  const answer = (judgment: Judgment) =>
    judge({ input: { id: stage.id, judgment, comment, input: choices.length > 0 ? choice : undefined } });
  return (
    <section className="card judgment" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`}>Manual judgment: {stage.name}</h3>
      {instructions && <p className="instructions">{instructions}</p>}
      {choices.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-choice`}>Choice</label>
          <select id={`${id}-choice`} value={choice} onChange={(e) => setChoice(e.target.value)}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment</label>
        <textarea id={`${id}-comment`} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <ErrorMessage error={state.error} title="The judgment was not recorded" />
      {state.data && <Warnings warnings={state.data.judgeStage.warnings} />}
      <div className="form-actions">
        <button type="button" className="primary" disabled={state.fetching} onClick={() => answer('CONTINUE')}>
          Continue
        </button>
        <button type="button" className="danger" disabled={state.fetching} onClick={() => answer('STOP')}>
          Stop
        </button>
      </div>
    </section>
  );
}
