import { parsePhone } from '../../shared/phone.js';

/**
 * Outbound caller ids are sent on SIP trunks, which take digits with an optional leading `+`
 * (E.164 or a national number); Entra's business phones are free text written for people.
 */
export const callerIdFrom = (text: string): string | null => parsePhone(text)?.number ?? null;

export const CALLER_ID_FORMAT = 'digits with an optional leading + (spaces, dashes, dots and brackets are removed), e.g. +1 425 555 0100';
