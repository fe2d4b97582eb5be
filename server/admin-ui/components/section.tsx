import type { ComponentChildren } from 'preact';

/** One screen of the page: a heading the navigation points at, an intro, and its content. */
export function Section({ id, title, intro, children }: { id: string; title: string; intro?: string; children: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`} tabIndex={-1}>
        {title}
      </h1>
      {intro && <p class="intro">{intro}</p>}
      {children}
    </section>
  );
}

/** A titled card within a section. */
export function Card({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  const headingId = `${id}-title`;
  return (
    <div class="card" id={id} role="group" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </div>
  );
}
