// A DOM for Observable Plot during the build, so figures are real SVG in the HTML.
import { parseHTML } from 'linkedom';

export function ssrDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}
