import { createRoot } from 'react-dom/client';
import { connect } from '../api/client';
import { useApp } from '../store/app-store';
import { App } from './App';
import './styles.css';
import 'uplot/dist/uPlot.min.css';
import '@xterm/xterm/css/xterm.css';

const root = createRoot(document.getElementById('root')!);
connect()
  .then(async (client) => {
    await useApp.getState().init(client);
    root.render(<App />);
  })
  .catch((e: Error) => {
    root.render(
      <main className="fatal" role="alert">
        <h1>fwbench cannot reach its host</h1>
        <p>{e.message}</p>
      </main>,
    );
  });
