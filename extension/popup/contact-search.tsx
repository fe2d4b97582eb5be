import type { Contact } from '../../sdk/index.js';
import type { DialScheme } from '../settings/schema.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';

/** A click-to-dial link: `tel:+4930123` for the phone app, `sip:+4930123` for a softphone. */
export function dialHref(scheme: DialScheme, number: string): string {
  const dialable = number.replace(/[^\d+*#]/g, '');
  return `${scheme}:${dialable}`;
}

const numbersOf = (c: Contact): string[] => [c.businessPhone, c.mobile, c.homePhone].filter((n) => n.trim() !== '');

/** Searches the user's phonebooks; each number is a link that dials it. */
export function ContactSearch() {
  const { contacts, settings } = useStores();
  const t = useT();
  const results = contacts.results.value;
  const scheme = settings.settings.value.dialScheme;
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t.t('popup.contacts')}</h2>
      <input
        id="contact-search"
        type="search"
        class="grow"
        aria-label={t.t('popup.searchLabel')}
        placeholder={t.t('popup.searchPlaceholder')}
        value={contacts.query.value}
        onInput={(e) => contacts.search(e.currentTarget.value)}
      />
      <ProblemLine problem={contacts.problem.value} />
      {results && results.length === 0 && <p class="muted">{t.t('popup.noContacts')}</p>}
      {results && results.length > 0 && (
        <ul class="contacts">
          {results.map((contact) => (
            <li key={contact.id}>
              <div>{contact.displayName}</div>
              {numbersOf(contact).map((number) => (
                <a
                  key={number}
                  href={dialHref(scheme, number)}
                  aria-label={t.t('popup.call', { name: contact.displayName, number })}
                  target="_blank"
                  rel="noreferrer"
                >
                  {number}
                </a>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
