// The default theme, plus the token colours of code blocks, code groups' tabs and the reference's navigation styles.
import DefaultTheme from 'vitepress/theme';
import './code-colours.css';
import './reference.css';
import './code-group.css';

export default DefaultTheme;
