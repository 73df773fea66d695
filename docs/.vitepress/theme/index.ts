// The default theme, plus the token colours of code blocks and the reference's navigation styles.
import DefaultTheme from 'vitepress/theme';
import './code-colours.css';
import './reference.css';

export default DefaultTheme;
