import type { Contact } from '../../sdk/index.js';
import type { DialScheme } from '../settings/schema.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';

/** A number as the server reads it (a contact's `dial`): digits with an optional leading +, an extension suffix apart. */
type Dialable = Contact['dial']['mobile'];

/**
 * A click-to-dial link: `tel:+4930123` for the phone app, `sip:+4930123` for a softphone, or null
 * when the text has nothing to dial. `phone` is the server's reading of `text` (one reading for
 * caller ids, click-to-dial and clients). An extension suffix is no part of the number: `tel:`
 * carries it as RFC 3966's `;ext=`, a SIP URI has no place for it (the call reaches the main
 * number). What the server does not read as a phone number (service codes such as `*31#`, short
 * internal numbers) is dialled as written.
 */
export function dialHref(scheme: DialScheme, text: string, phone: Dialable): string | null {
  if (!phone) {
    const raw = text.replace(/[^\d+*#]/g, '');
    return raw === '' ? null : `${scheme}:${raw}`;
  }
  return scheme === 'tel' && phone.extension ? `tel:${phone.number};ext=${phone.extension}` : `${scheme}:${phone.number}`;
}

const NUMBER_FIELDS = ['businessPhone', 'mobile', 'homePhone'] as const;
const numbersOf = (c: Contact, scheme: DialScheme) =>
  NUMBER_FIELDS.filter((field) => c[field].trim() !== '').map((field) => ({ number: c[field], href: dialHref(scheme, c[field], c.dial[field]) }));

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
              {numbersOf(contact, scheme).map(({ number, href }) =>
                href ? (
                  <a key={number} href={href} aria-label={t.t('popup.call', { name: contact.displayName, number })} target="_blank" rel="noreferrer">
                    {number}
                  </a>
                ) : (
                  <span key={number}>{number}</span>
                ),
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
