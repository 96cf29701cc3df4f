import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { describeError, type Problem } from '../../api/errors';
import { AppNav } from '../../components/AppNav';
import { DagGraph, type GraphStage } from '../../components/DagGraph';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Warnings } from '../../components/Warnings';
import { blankDefinition, graphStages, parseDefinition, toEditable } from './definition';
import { FormatSwitch } from './FormatSwitch';
import { convertText, formatNames, printText, rememberedFormat, rememberFormat, type Format } from './formats';
import { lineOfPath, pathLines, stageIndexOfPath } from './jsonPaths';
import { PipelineDefinitionQuery, SavePipelineMutation } from './queries';
import { yamlPathLines } from './yamlPaths';

/**
 * Edits a pipeline as JSON or YAML beside its graph; the server's problems show at their
 * lines. The format is the one last chosen in this browser, JSON at first.
 */
export function PipelineEditorView() {
  const { name = '', id } = useParams();
  const navigate = useNavigate();
  const [{ data, error, fetching }] = useQuery({ query: PipelineDefinitionQuery, variables: { id: id ?? '' }, pause: !id });
  const pipeline = data?.pipeline ?? null;
  const [format, setFormat] = useState<Format>(rememberedFormat);
  const [text, setText] = useState(() => (id ? '' : printText(blankDefinition(), format)));
  const [switchError, setSwitchError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saveState, save] = useMutation(SavePipelineMutation);
  const [saved, setSaved] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const loaded = useRef(false);

  useEffect(() => {
    if (pipeline && !loaded.current) {
      loaded.current = true;
      setText(printText(toEditable(pipeline), format));
    }
  }, [pipeline, format]);

  const parsed = useMemo(() => parseDefinition(text, format), [text, format]);
  const lines = useMemo(() => (format === 'json' ? pathLines(text) : yamlPathLines(text)), [text, format]);
  const badStages = new Set(problems.map((p) => stageIndexOfPath(p.path)).filter((n): n is number => n !== null));
  const graph: GraphStage[] = parsed.ok ? graphStages(parsed.definition).map((s, i) => ({ ...s, invalid: badStages.has(i) })) : [];
  const warnings = saveState.data?.savePipeline.warnings ?? pipeline?.warnings ?? [];

  // The text is converted, never re-read from the server: what was typed and not saved stays.
  const switchTo = (to: Format) => {
    const r = convertText(text, format, to);
    if (!r.ok) {
      setSwitchError(r.message);
      return;
    }
    setSwitchError(null);
    setText(r.text);
    setFormat(to);
    rememberFormat(to);
  };

  const goTo = (line: number) => {
    const el = area.current;
    if (!el) return;
    const starts = el.value.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    const end = el.value.indexOf('\n', starts);
    el.focus();
    el.setSelectionRange(starts, end === -1 ? el.value.length : end);
    el.scrollTop = Math.max(0, (line - 3) * 18);
  };

  const submit = async () => {
    setSaved(false);
    setProblems([]);
    if (!parsed.ok) return;
    const r = await save({ input: { ...parsed.definition, application: name, id: pipeline?.id, version: pipeline?.version } });
    if (r.error) {
      setProblems(describeError(r.error).problems);
      return;
    }
    const p = r.data?.savePipeline.pipeline;
    setSaved(true);
    if (p && !id) navigate(`/applications/${encodeURIComponent(name)}/pipelines/${encodeURIComponent(p.id)}/edit`, { replace: true });
  };

  return (
    <div className="page">
      <AppNav name={name} />
      <div className="page-head">
        <h2>{id ? `Edit ${pipeline?.name ?? 'pipeline'}` : 'New pipeline'}</h2>
        <div className="actions">
          <Link className="button" to={`/applications/${encodeURIComponent(name)}/pipelines`}>
            Back to pipelines
          </Link>
          <button type="button" className="primary" onClick={submit} disabled={!parsed.ok || saveState.fetching || (!!id && !pipeline)}>
            {saveState.fetching ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
      <ErrorMessage error={error} title="The pipeline could not be loaded" />
      {fetching && <p className="muted">Loading the pipeline…</p>}
      {id && data && !pipeline && <p role="alert">This pipeline does not exist (any more).</p>}
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
      {saveState.error && (
        <div className="error" role="alert">
          <span>{describeError(saveState.error).summary}</span>
          {describeError(saveState.error).details.map((d) => (
            <div key={d}>{d}</div>
          ))}
          {problems.length > 0 && (
            <ul className="problems">
              {problems.map((p, i) => {
                const line = lineOfPath(lines, p.path);
                return (
                  <li key={`${p.path}-${i}`}>
                    <code className="problem-path">{p.path}</code> {p.message} {p.code && <span className="problem-code">({p.code})</span>}{' '}
                    {line !== null && (
                      <button type="button" className="link" onClick={() => goTo(line)}>
                        line {line}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
      <Warnings warnings={warnings} title="Guardrail warnings (saved anyway)" />
      <div className="editor">
        <div className="field editor-text">
          <div className="row">
            <label htmlFor="pipeline-definition">Definition ({formatNames[format]})</label>
            {/* Until a saved pipeline is loaded there is no text to convert. */}
            <FormatSwitch format={format} onChange={switchTo} disabled={!!id && !pipeline} />
          </div>
          {switchError && (
            <p className="field-error" role="alert">
              {switchError}
            </p>
          )}
          <textarea
            id="pipeline-definition"
            ref={area}
            spellCheck={false}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setSwitchError(null);
            }}
            rows={28}
            aria-invalid={!parsed.ok || problems.length > 0 ? true : undefined}
            aria-describedby="pipeline-definition-status"
          />
          <span id="pipeline-definition-status" className={parsed.ok ? 'muted small' : 'field-error'}>
            {parsed.ok ? `${graph.length} stage${graph.length === 1 ? '' : 's'}` : parsed.message}
          </span>
        </div>
        <DagGraph stages={graph} label="Stages of this pipeline" />
      </div>
    </div>
  );
}
