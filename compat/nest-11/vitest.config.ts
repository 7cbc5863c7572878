import swc from 'unplugin-swc';
import { nestCompatProject } from '../nest-compat.ts';

export default nestCompatProject({ configUrl: import.meta.url, major: 11, swc });
