import { AI_DIGITAL_SOURCE_TYPE } from '../../contract/index.js';

/** The name written as the software agent of a material edit. */
export const SOFTWARE_AGENT = 'staging-widget BFF';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The XMP packet of a material output (EU AI Act art. 50 marking, IPTC photo metadata):
 * - `Iptc4xmpExt:DigitalSourceType` = compositeWithTrainedAlgorithmicMedia;
 * - the BFF as the software agent (`xmp:CreatorTool`, and an `xmpMM:History` event);
 * - `dc:source` = the public page with the unaltered original.
 * sharp's `withXmp` embeds it; exiftool reads it back (see test/server/disclosure.test.ts).
 */
export function materialXmp(o: { originalPageUrl: string; providerName: string; when: string }): string {
  const page = escapeXml(o.originalPageUrl);
  const agent = escapeXml(`${SOFTWARE_AGENT} (${o.providerName})`);
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    Iptc4xmpExt:DigitalSourceType="${AI_DIGITAL_SOURCE_TYPE}"
    xmp:CreatorTool="${agent}"
    dc:source="${page}">
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Digitally altered image. The original photo: ${page}</rdf:li></rdf:Alt></dc:description>
   <xmpMM:History>
    <rdf:Seq>
     <rdf:li rdf:parseType="Resource">
      <stEvt:action>edited</stEvt:action>
      <stEvt:softwareAgent>${agent}</stEvt:softwareAgent>
      <stEvt:when>${escapeXml(o.when)}</stEvt:when>
      <stEvt:changed>/content</stEvt:changed>
     </rdf:li>
    </rdf:Seq>
   </xmpMM:History>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
