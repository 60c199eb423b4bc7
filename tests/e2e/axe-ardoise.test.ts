/** axe-core on every main page in the ardoise theme (see axe.ts). */
import { axeTestsFor } from './axe';

axeTestsFor('ardoise');
