import { useEffect, useState } from 'preact/hooks';
import type { ScheduleSettings } from '../../jobs/index.js';
import type { ScheduleStatus } from '../api/endpoints.js';
import { Checkbox, RadioGroup, SelectField, TextField } from '../components/fields.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { SettingsForm } from '../components/settings-form.js';
import { collect, intRange, numberText, parseNumber } from '../forms/validate.js';
import { useStores } from '../stores/context.js';

type Day = ScheduleSettings['days'][number];
/** Monday first, as most of our admins' calendars show it; `isoDay` 1 = Monday for Intl. */
const DAYS: ReadonlyArray<[Day, number]> = [['mon', 1], ['tue', 2], ['wed', 3], ['thu', 4], ['fri', 5], ['sat', 6], ['sun', 7]];
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

const validate = (s: ScheduleSettings) =>
  collect({
    days: s.frequency === 'weekly' && s.days.length === 0 ? { key: 'schedule.pickDay' } : undefined,
    time: /^([01]\d|2[0-3]):[0-5]\d$/.test(s.time) ? undefined : { key: 'schedule.timeInvalid' },
    'changeTrigger.delayMinutes': intRange(s.changeTrigger.delayMinutes, 0, 1440),
    'changeTrigger.burst': intRange(s.changeTrigger.burst, 1, 100_000),
  });

function Status({ status, timeZone }: { status: ScheduleStatus; timeZone: string }) {
  const { i18n } = useStores();
  const next = status.nextScheduledSync;
  return (
    <dl class="facts">
      <dt>{i18n.t('schedule.next')}</dt>
      <dd>
        {next
          ? i18n.t('schedule.nextAt', {
              local: i18n.format.value.dateTime(next),
              // timeStyle cannot be combined with timeZoneName (a TypeError): name the fields instead.
              zoned: new Intl.DateTimeFormat(i18n.lang.value, { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(next)),
            })
          : '—'}
      </dd>
      <dt>{i18n.t('schedule.changeTracking')}</dt>
      <dd>{i18n.t(`schedule.tracking.${status.changeTracking}`)}</dd>
    </dl>
  );
}

export function Schedule() {
  const { i18n, api, schedule } = useStores();
  const [status, setStatus] = useState<ScheduleStatus | null>(null);
  const draft = schedule.draft.value;
  const saved = schedule.saved.value;
  useEffect(() => {
    void schedule.load();
  }, [schedule]);
  useEffect(() => {
    api.schedule.status().then(setStatus, () => setStatus(null));
  }, [saved]);
  if (!draft) return <Section id="schedule" title={i18n.t('schedule.title')}>{schedule.loadError.value && <Notice kind="error" message={schedule.loadError.value} />}</Section>;
  const edit = (patch: Partial<ScheduleSettings>) => schedule.edit((s) => ({ ...s, ...patch }));
  const trigger = draft.changeTrigger;
  const format = i18n.format.value;
  return (
    <Section id="schedule" title={i18n.t('schedule.title')} intro={i18n.t('schedule.intro')}>
      {status && <Status status={status} timeZone={draft.timeZone} />}
      <SettingsForm id="schedule" store={schedule} validate={validate}>
        <Card id="schedule-when" title={i18n.t('schedule.when')}>
          <RadioGroup
            name="frequency"
            legend={i18n.t('schedule.frequency')}
            value={draft.frequency}
            options={[
              { value: 'daily', label: i18n.t('schedule.daily') },
              { value: 'weekly', label: i18n.t('schedule.weekly') },
            ]}
            onChange={(frequency) => edit({ frequency })}
          />
          {draft.frequency === 'weekly' && (
            <fieldset>
              <legend>{i18n.t('schedule.days')}</legend>
              {DAYS.map(([day, iso]) => (
                <Checkbox key={day} id={`day-${day}`} label={format.weekday(iso)} checked={draft.days.includes(day)} onChange={(on) => edit({ days: on ? [...draft.days, day] : draft.days.filter((d) => d !== day) })} />
              ))}
              {schedule.form.errors.value.days && <Notice kind="error" message={schedule.form.errors.value.days} />}
            </fieldset>
          )}
          <div class="row">
            <TextField id="time" type="time" label={i18n.t('schedule.time')} value={draft.time} onInput={(time) => edit({ time })} form={schedule.form} />
            <SelectField id="timeZone" label={i18n.t('schedule.timeZone')} value={draft.timeZone} options={[...new Set([draft.timeZone, ...TIME_ZONES])].map((z) => ({ value: z, label: format.timeZone(z) }))} onChange={(timeZone) => edit({ timeZone })} form={schedule.form} />
          </div>
        </Card>
        <Card id="schedule-changes" title={i18n.t('schedule.changes')}>
          <Checkbox id="change-trigger" label={i18n.t('schedule.changeEnabled')} checked={trigger.enabled} onChange={(enabled) => edit({ changeTrigger: { ...trigger, enabled } })} />
          <div class="row">
            <TextField id="delayMinutes" name="changeTrigger.delayMinutes" type="number" label={i18n.t('schedule.delay')} hint={i18n.t('schedule.delayHint')} value={numberText(trigger.delayMinutes)} onInput={(v) => edit({ changeTrigger: { ...trigger, delayMinutes: parseNumber(v) } })} form={schedule.form} disabled={!trigger.enabled} />
            <TextField id="burst" name="changeTrigger.burst" type="number" label={i18n.t('schedule.burst')} value={numberText(trigger.burst)} onInput={(v) => edit({ changeTrigger: { ...trigger, burst: parseNumber(v) } })} form={schedule.form} disabled={!trigger.enabled} />
          </div>
        </Card>
      </SettingsForm>
    </Section>
  );
}
