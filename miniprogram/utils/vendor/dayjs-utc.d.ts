import type { PluginFunc } from 'dayjs';
// Brings dayjs' own declarations of utc()/utcOffset() for the vendored copy.
import type {} from 'dayjs/plugin/utc';

declare const utc: PluginFunc;
export default utc;
