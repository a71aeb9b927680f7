/**
 * The app instance's shape, for `App<IAppOption>()` and `getApp<IAppOption>()`. The app keeps no
 * global data: state lives in pages and in services/, so there is nothing here but the hook.
 */
interface IAppOption {
  onLaunch(): void;
}
