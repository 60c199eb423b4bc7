/** axe-core on every main page in the default theme (see axe.ts). */
import { axeTestsFor } from './axe';

axeTestsFor('default');
