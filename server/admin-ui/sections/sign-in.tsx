import { useState } from 'preact/hooks';
import { TextField } from '../components/fields.js';
import { LanguagePicker } from '../components/language-picker.js';
import { FormNotice } from '../components/notice.js';
import { createFormState, submitForm } from '../forms/form.js';
import { collect, required } from '../forms/validate.js';
import { useStores } from '../stores/context.js';

/** Sign-in with the admin token; the server answers with an HttpOnly session cookie. */
export function SignIn() {
  const { i18n, session } = useStores();
  const [form] = useState(createFormState);
  const [token, setToken] = useState('');
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submitForm(
      form,
      () => collect({ token: required(token) }),
      async () => {
        await session.signIn(token.trim());
        return undefined;
      },
    );
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={onSubmit} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">{i18n.t('signIn.title')}</h1>
        <p>{i18n.t('signIn.intro')}</p>
        <TextField
          id="token"
          label={i18n.t('signIn.token')}
          hint={i18n.t('signIn.tokenHint')}
          type="password"
          autoComplete="current-password"
          value={token}
          onInput={setToken}
          form={form}
        />
        <FormNotice form={form} />
        <div class="actions">
          <button type="submit" disabled={form.busy.value}>
            {i18n.t('signIn.submit')}
          </button>
        </div>
        <LanguagePicker />
      </form>
    </main>
  );
}
