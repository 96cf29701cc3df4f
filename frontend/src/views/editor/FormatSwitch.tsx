import { formatNames, type Format } from './formats';

/**
 * The editor's JSON | YAML choice: a labelled group of radio buttons, one tab stop, the
 * arrow keys move between them. The choice shown is always `format`: a change the parent
 * refuses (a text that cannot be converted) leaves it where it was.
 */
export function FormatSwitch({ format, onChange, disabled = false }: { format: Format; onChange: (to: Format) => void; disabled?: boolean }) {
  return (
    <fieldset className="format-switch" disabled={disabled}>
      <legend>Format</legend>
      {(Object.keys(formatNames) as Format[]).map((f) => (
        <label key={f}>
          <input type="radio" name="pipeline-format" value={f} checked={format === f} onChange={() => onChange(f)} />
          {formatNames[f]}
        </label>
      ))}
    </fieldset>
  );
}
