import { createRouter } from '../../shared/router';
import { handlers } from './handlers';

export const main = createRouter(handlers);
