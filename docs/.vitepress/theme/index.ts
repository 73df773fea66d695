// The default theme, plus the token colours of code blocks.
import DefaultTheme from 'vitepress/theme';
import './code-colours.css';

export default DefaultTheme;
