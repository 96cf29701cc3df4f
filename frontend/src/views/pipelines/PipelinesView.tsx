import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSubscription } from 'urql';
import { useLiveQuery } from '../../api/useLiveQuery';
import { AppNav } from '../../components/AppNav';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { PipelinesQuery as PipelinesData } from '../../gql/graphql';
import { useNow } from '../../lib/useNow';
import { AppExecutionsSubscription, PipelinesQuery } from './queries';
import { RunDialog } from './RunDialog';
import { ExecutionRow } from './StageBars';

type PipelineNode = NonNullable<PipelinesData['application']>['pipelines']['edges'][number]['node'];

/** An application's pipelines, each with its recent executions as live rows of stage bars. */
export function PipelinesView() {
  const { name = '' } = useParams();
  const [{ data, error, fetching }] = useLiveQuery({ query: PipelinesQuery, variables: { name } });
  const [sub] = useSubscription({ query: AppExecutionsSubscription, variables: { name } });
  const [running, setRunning] = useState<PipelineNode | null>(null);
  const now = useNow(1000);
  const pipelines = data?.application?.pipelines.edges.map((e) => e.node) ?? [];
  const base = `/applications/${encodeURIComponent(name)}/pipelines`;

  return (
    <div className="page">
      <AppNav name={name} />
      <div className="page-head">
        <h2>Pipelines</h2>
        <Link className="button" to={`${base}/new`}>
          New pipeline
        </Link>
      </div>
      <ErrorMessage error={error} title="Pipelines could not be loaded" />
      <ErrorMessage error={sub.error} title="Live updates of executions stopped" />
      {fetching && !data && <p className="muted">Loading pipelines…</p>}
      {data && !data.application && <p role="alert">There is no application named {name}.</p>}
      {data?.application && pipelines.length === 0 && <p className="muted">No pipelines yet.</p>}
      {pipelines.map((p) => (
        <section key={p.id} className="card pipeline" aria-labelledby={`p-${p.id}`}>
          <header className="row">
            <h3 id={`p-${p.id}`}>
              {p.name} {p.disabled && <span className="pill pill-off">disabled</span>}
            </h3>
            <div className="actions">
              <Link className="button" to={`${base}/${encodeURIComponent(p.id)}/edit`} aria-label={`Edit ${p.name}`}>
                Edit
              </Link>
              <button type="button" className="primary" disabled={p.disabled} onClick={() => setRunning(p)} aria-label={`Run ${p.name}`}>
                Run
              </button>
            </div>
          </header>
          {p.description && <p className="muted small">{p.description}</p>}
          <ol className="executions" aria-label={`Recent executions of ${p.name}`}>
            {p.executions.edges.map(({ node }) => (
              <ExecutionRow key={node.id} execution={node} now={now} />
            ))}
            {p.executions.edges.length === 0 && <li className="muted small">Never run.</li>}
          </ol>
        </section>
      ))}
      {running && <RunDialog pipeline={running} onClose={() => setRunning(null)} />}
    </div>
  );
}
