import { mountPage } from '../ui/mount.js';
import { Popup } from './popup.js';

void mountPage('popup.title', () => <Popup />).then(async (stores) => {
  await stores.session.check();
  if (stores.session.state.value === 'signed-in') await stores.status.load();
});
