import type { ComponentChildren } from 'preact';
import type { FormState, Message } from '../forms/form.js';
import { messageText } from '../forms/form.js';
import { useStores } from '../stores/context.js';

interface FieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: Message | undefined;
  children: ComponentChildren;
}

/** Label, control, hint and the field's error right under it (announced to screen readers). */
export function Field({ id, label, hint, error, children }: FieldProps) {
  const { i18n } = useStores();
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {messageText(i18n, error)}
        </p>
      )}
    </div>
  );
}

/** aria attributes tying a control to its hint and error. */
export function describedBy(id: string, hint: unknown, error: unknown) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': error ? true : undefined };
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  form: FormState;
  /** Key of this field in the form's error map; defaults to the id. */
  name?: string;
  hint?: string | undefined;
  type?: 'text' | 'password' | 'number' | 'time' | 'search' | 'url';
  autoComplete?: string;
  disabled?: boolean;
}

export function TextField(props: TextFieldProps) {
  const error = props.form.errors.value[props.name ?? props.id];
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={error}>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete ?? 'off'}
        disabled={props.disabled}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...describedBy(props.id, props.hint, error)}
      />
    </Field>
  );
}

interface SelectFieldProps<T extends string> {
  id: string;
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  form?: FormState;
  name?: string;
  hint?: string;
  disabled?: boolean;
}

export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const error = props.form?.errors.value[props.name ?? props.id];
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={error}>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
        {...describedBy(props.id, props.hint, error)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

interface CheckboxProps {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
  /** Shows the form's error for `name` (default: the id) under the box. */
  form?: FormState;
  name?: string;
}

export function Checkbox(props: CheckboxProps) {
  const { i18n } = useStores();
  const error = props.form?.errors.value[props.name ?? props.id];
  return (
    <div class="check">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
        {...describedBy(props.id, props.hint, error)}
      />
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {messageText(i18n, error)}
        </p>
      )}
    </div>
  );
}

interface RadioGroupProps<T extends string> {
  name: string;
  legend: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  disabled?: boolean;
}

export function RadioGroup<T extends string>(props: RadioGroupProps<T>) {
  return (
    <fieldset class="radios">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <div class="check" key={o.value}>
          <input
            id={`${props.name}-${o.value}`}
            type="radio"
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            disabled={props.disabled}
            onChange={() => props.onChange(o.value)}
          />
          <label for={`${props.name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
