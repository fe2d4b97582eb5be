import { mountPage } from '../ui/mount.js';
import { Options } from './options.js';

void mountPage('options.title', () => <Options />).then(async (stores) => {
  await stores.session.check();
  if (stores.session.state.value === 'signed-in') await stores.mapping.load();
});
