import { mountPage } from '../ui/mount.js';
import { Options } from './options.js';

void mountPage('options.title', () => <Options />).then(async (stores) => {
  stores.mapping.followSession();
  await stores.session.check();
});
