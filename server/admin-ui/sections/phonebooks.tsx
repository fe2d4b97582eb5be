import { useEffect } from 'preact/hooks';
import type { Contact, Phonebook } from '../api/endpoints.js';
import { ExtensionGroupPicker, ExtensionPicker } from '../components/directory-pickers.js';
import { FormNotice } from '../components/notice.js';
import { PagedTable } from '../components/paged-table.js';
import { Card } from '../components/section.js';
import { useStores } from '../stores/context.js';

const SEARCH_DELAY_MS = 300;

function PhonebookRow({ book }: { book: Phonebook }) {
  const { i18n, contacts } = useStores();
  return (
    <tr data-phonebook={book.name} aria-selected={contacts.open.value?.id === book.id}>
      <td>
        <a
          href="#phonebook-detail"
          onClick={(e) => {
            e.preventDefault();
            void contacts.openPhonebook(book);
          }}
        >
          {book.name}
        </a>
      </td>
      <td>{i18n.t(`phonebooks.kind.${book.kind}`)}</td>
      <td>{i18n.format.value.number(book.contactCount)}</td>
    </tr>
  );
}

function ContactRow({ contact }: { contact: Contact }) {
  return (
    <tr data-contact={contact.displayName}>
      <td>{contact.displayName}</td>
      <td>{contact.company}</td>
      <td>{contact.businessPhone}</td>
      <td>{contact.mobile}</td>
      <td>{contact.email}</td>
    </tr>
  );
}

function ContactBrowser({ book }: { book: Phonebook }) {
  const { i18n, contacts } = useStores();
  const query = contacts.contactQuery.value;
  useEffect(() => {
    const timer = setTimeout(() => void contacts.contacts.load(), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, contacts]);
  return (
    <>
      <div class="toolbar" role="search">
        <div class="field">
          <label for="contact-search">{i18n.t('phonebooks.search')}</label>
          <input id="contact-search" type="search" value={query} onInput={(e) => (contacts.contactQuery.value = e.currentTarget.value)} />
        </div>
      </div>
      <PagedTable
        list={contacts.contacts}
        caption={i18n.t('phonebooks.contactsOf', { name: book.name })}
        headers={[i18n.t('field.displayName'), i18n.t('phonebooks.company'), i18n.t('phonebooks.businessPhone'), i18n.t('phonebooks.mobile'), i18n.t('field.email')]}
        row={(contact) => <ContactRow key={contact.id} contact={contact} />}
        empty={i18n.t('phonebooks.noContacts')}
      />
    </>
  );
}

/** Who sees a company phonebook: extensions and extension groups (hidden from everyone when both are empty). */
function VisibilityEditor() {
  const { i18n, contacts } = useStores();
  const value = contacts.visibility.value;
  const form = contacts.visibilityForm;
  return (
    <form
      noValidate
      aria-labelledby="phonebook-visibility-title"
      onSubmit={(e) => {
        e.preventDefault();
        void contacts.saveVisibility();
      }}
    >
      <h3 id="phonebook-visibility-title">{i18n.t('phonebooks.visibility')}</h3>
      <p class="muted">{i18n.t('phonebooks.visibilityHint')}</p>
      {value && (
        <>
          <ExtensionPicker
            id="visibility-extensions"
            label={i18n.t('phonebooks.visibleExtensions')}
            selected={value.extensionIds}
            error={form.errors.value.extensionIds}
            onChange={(extensionIds) => contacts.editVisibility({ extensionIds })}
          />
          <ExtensionGroupPicker
            id="visibility-groups"
            label={i18n.t('phonebooks.visibleGroups')}
            selected={value.groupIds}
            error={form.errors.value.groupIds}
            onChange={(groupIds) => contacts.editVisibility({ groupIds })}
          />
        </>
      )}
      <FormNotice form={form} />
      <div class="actions">
        <button type="submit" disabled={form.busy.value || !value}>
          {i18n.t('phonebooks.saveVisibility')}
        </button>
      </div>
    </form>
  );
}

/** The phonebooks contact sync made, one open with its contacts and (company) its visibility. */
export function Phonebooks() {
  const { i18n, contacts } = useStores();
  const book = contacts.open.value;
  return (
    <>
      <Card id="phonebooks" title={i18n.t('phonebooks.title')}>
        <PagedTable
          list={contacts.phonebooks}
          caption={i18n.t('phonebooks.caption')}
          headers={[i18n.t('phonebooks.name'), i18n.t('phonebooks.kindTitle'), i18n.t('phonebooks.count')]}
          row={(b) => <PhonebookRow key={b.id} book={b} />}
          empty={i18n.t('phonebooks.none')}
        />
      </Card>
      {book && (
        <Card id="phonebook-detail" title={book.name}>
          <ContactBrowser book={book} />
          {book.kind === 'company' && <VisibilityEditor />}
        </Card>
      )}
    </>
  );
}
