import { initBackend } from './services/client';

App({
  onLaunch() {
    initBackend();
  },
});
