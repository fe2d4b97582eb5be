import { parsePhone } from '../../shared/phone.js';
import type { Contact } from '../../sdk/index.js';
import type { DialScheme } from '../settings/schema.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';

/**
 * A click-to-dial link: `tel:+4930123` for the phone app, `sip:+4930123` for a softphone, or null
 * when the text has nothing to dial. An extension suffix (`x23`, `ext. 23`) is no part of the
 * number: `tel:` carries it as RFC 3966's `;ext=`, a SIP URI has no place for it (the call reaches
 * the main number). Service codes such as `*31#` and short internal numbers are dialled as written.
 */
export function dialHref(scheme: DialScheme, text: string): string | null {
  const phone = parsePhone(text);
  if (!phone) {
    const raw = text.replace(/[^\d+*#]/g, '');
    return raw === '' ? null : `${scheme}:${raw}`;
  }
  return scheme === 'tel' && phone.extension ? `tel:${phone.number};ext=${phone.extension}` : `${scheme}:${phone.number}`;
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
              {numbersOf(contact).map((number) => {
                const href = dialHref(scheme, number);
                return href ? (
                  <a key={number} href={href} aria-label={t.t('popup.call', { name: contact.displayName, number })} target="_blank" rel="noreferrer">
                    {number}
                  </a>
                ) : (
                  <span key={number}>{number}</span>
                );
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
