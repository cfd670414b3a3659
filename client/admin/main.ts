import { required } from '../shared/dom.ts';
import { startAdminPage } from './page.ts';

void startAdminPage(required('#main'));
