import { initBackend } from './services/client';

App<IAppOption>({
  onLaunch() {
    initBackend();
  },
});
