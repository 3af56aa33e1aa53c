// Defines <staging-widget> before React renders, so React 19 sets `fetchToken` as a property.
import 'staging-widget/widget';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

createRoot(document.getElementById('root')!).render(<App />);
