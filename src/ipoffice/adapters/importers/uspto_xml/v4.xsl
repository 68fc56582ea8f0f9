<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document of the ICE DTDs v4.0-v4.7 (us-patent-grant, us-patent-application) in one pass: reading its
  fields through lxml elements from Python cost more than parsing it (a weekly file holds tens of
  thousands of citations, claims and parties).

  The output is text: the sections head, classifications, claims, priorities, title, abstract,
  description, parties, citations (v4.py's _V4_SECTIONS), in that order, each ended by &S;; the records
  of a section each start with &R;, and each field ends with &F; (noncharacters, as the block mark of
  text.xsl, whose templates text.py appends here and which flatten the text fields). A field is the
  first element of its name, as ``find`` takes it. Parties and citations are taken from where the DTDs
  put them, not searched for with "//": a search walks all of the bibliographic data each time (a fifth
  of the pass). "value-of select=path" takes the first element's text: every such element is a leaf
  (country, doc-number, date, ...), and "(path)[1]/text()[1]" would cost libxslt a fifth more.
-->
<!DOCTYPE xsl:stylesheet [
  <!-- An entity's markup is parsed on its own, outside the stylesheet's namespace declaration. -->
  <!ENTITY F "<xsl:text xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>&#xFDD2;</xsl:text>">
  <!ENTITY R "<xsl:text xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>&#xFDD1;</xsl:text>">
  <!ENTITY S "<xsl:text xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>&#xFDD3;</xsl:text>">
]>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:variable name="grant" select="*/us-bibliographic-data-grant[1]"/>
    <xsl:variable name="biblio" select="$grant | */us-bibliographic-data-application[1][not($grant)]"/>
    <xsl:variable name="publication" select="($biblio/publication-reference/document-id)[1]"/>
    <xsl:variable name="application" select="$biblio/application-reference[1]"/>
    <xsl:variable name="parties" select="$biblio/parties/*/applicant | $biblio/parties/*/inventor
      | $biblio/parties/*/agent | $biblio/us-parties/*/us-applicant | $biblio/us-parties/*/inventor
      | $biblio/us-parties/*/agent | $biblio/assignees/assignee"/>
    <!-- head: B if there is bibliographic data, P if a publication reference, the publication's country,
         number, kind and date, the application's type, number and date, I if inventors are listed -->
    <xsl:if test="$biblio">B</xsl:if>&F;<xsl:if test="$publication">P</xsl:if>&F;
    <xsl:value-of select="$publication/country"/>&F;<xsl:value-of select="$publication/doc-number"/>&F;
    <xsl:value-of select="$publication/kind"/>&F;<xsl:value-of select="$publication/date"/>&F;
    <xsl:value-of select="$application/@appl-type"/>&F;
    <xsl:value-of select="$application/document-id[1]/doc-number"/>&F;
    <xsl:value-of select="$application/document-id[1]/date"/>&F;
    <xsl:if test="$parties[self::inventor]">I</xsl:if>&S;
    <!-- classifications: I (IPCR) with the symbol position, then the symbol in parts; M and X (IPC before
         IPCR, v4.0), main and further, the symbol as written; C and c (CPC), main and further, in parts -->
    <xsl:for-each select="$biblio/classifications-ipcr/classification-ipcr">
      &R;I&F;<xsl:value-of select="symbol-position"/>&F;
      <xsl:value-of select="section"/>&F;<xsl:value-of select="class"/>&F;<xsl:value-of select="subclass"/>&F;
      <xsl:value-of select="main-group"/>&F;<xsl:value-of select="subgroup"/>&F;</xsl:for-each>
    <xsl:for-each select="$biblio/classification-ipc">
      &R;M&F;<xsl:value-of select="main-classification"/>&F;
      <xsl:for-each select="further-classification">&R;X&F;<xsl:value-of select="text()[1]"/>&F;</xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="$biblio/classifications-cpc/main-cpc/classification-cpc">
      &R;C&F;&F;
      <xsl:value-of select="section"/>&F;<xsl:value-of select="class"/>&F;<xsl:value-of select="subclass"/>&F;
      <xsl:value-of select="main-group"/>&F;<xsl:value-of select="subgroup"/>&F;</xsl:for-each>
    <xsl:for-each select="$biblio/classifications-cpc/further-cpc/classification-cpc">
      &R;c&F;&F;
      <xsl:value-of select="section"/>&F;<xsl:value-of select="class"/>&F;<xsl:value-of select="subclass"/>&F;
      <xsl:value-of select="main-group"/>&F;<xsl:value-of select="subgroup"/>&F;</xsl:for-each>
    <!-- L and l (Locarno, designs), main and further, the symbol as written ("0201"); N and n (national:
         USPC), main and further, the country, then the symbol as written, spaces kept ("D 2700") -->
    <xsl:for-each select="$biblio/classification-locarno">
      &R;L&F;<xsl:value-of select="main-classification"/>&F;
      <xsl:for-each select="further-classification">&R;l&F;<xsl:value-of select="."/>&F;</xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="$biblio/classification-national">
      &R;N&F;<xsl:value-of select="country"/>&F;<xsl:value-of select="main-classification"/>&F;
      <xsl:for-each select="further-classification">
        &R;n&F;<xsl:value-of select="../country"/>&F;<xsl:value-of select="."/>&F;</xsl:for-each>
    </xsl:for-each>
    <!-- U: any other classification element, by name: reported, never dropped unseen -->
    <xsl:for-each select="$biblio/*[starts-with(name(), 'classification')][not(self::classification-ipc
        or self::classifications-ipcr or self::classifications-cpc or self::classification-locarno
        or self::classification-national)]">&R;U&F;<xsl:value-of select="name()"/>&F;</xsl:for-each>&S;
    <!-- claims: number, id, the claims referred to (space-separated), text -->
    <xsl:for-each select="/*/claims/claim">
      &R;<xsl:value-of select="@num"/>&F;<xsl:value-of select="@id"/>&F;
      <xsl:for-each select=".//claim-ref"><xsl:value-of select="@idref"/><xsl:text> </xsl:text></xsl:for-each>
      &F;<xsl:apply-templates select="."/></xsl:for-each>&S;
    <!-- priorities: country, number, date -->
    <xsl:for-each select="$biblio/priority-claims/priority-claim">
      &R;<xsl:value-of select="country"/>&F;<xsl:value-of select="doc-number"/>&F;
      <xsl:value-of select="date"/>&F;</xsl:for-each>&S;
    <xsl:apply-templates select="$biblio/invention-title[1]"/>&S;
    <xsl:apply-templates select="/*/abstract[1]"/>&S;
    <xsl:apply-templates select="/*/description[1]"/>&S;
    <!-- parties: element name, sequence, application type, organisation, first, middle and last name,
         suffix, country of the address, country of residence -->
    <xsl:for-each select="$parties">
      <xsl:variable name="book" select="addressbook[1] | self::*[not(addressbook)]"/>
      &R;<xsl:value-of select="name()"/>&F;<xsl:value-of select="@sequence"/>&F;
      <xsl:value-of select="@app-type"/>&F;
      <xsl:apply-templates select="$book/orgname[1]"/>&F;<xsl:apply-templates select="$book/first-name[1]"/>&F;
      <xsl:apply-templates select="$book/middle-name[1]"/>&F;<xsl:apply-templates select="$book/last-name[1]"/>&F;
      <xsl:apply-templates select="$book/suffix[1]"/>&F;<xsl:value-of select="$book/address/country"/>&F;
      <xsl:value-of select="residence/country"/>&F;</xsl:for-each>&S;
    <!-- citations: P (a patent document), - (a patent citation without document id) or N (other
         literature), category, number, the cited document's country, number, kind and date, the text of
         other literature -->
    <xsl:for-each select="$biblio/references-cited/citation | $biblio/us-references-cited/us-citation">
      <xsl:variable name="patent" select="patcit[1]"/>
      <xsl:variable name="id" select="$patent/document-id[1]"/>
      &R;<xsl:choose>
        <xsl:when test="$id">P</xsl:when>
        <xsl:when test="$patent">-</xsl:when>
        <xsl:when test="nplcit">N</xsl:when>
      </xsl:choose>&F;<xsl:value-of select="category"/>&F;
      <xsl:value-of select="$patent/@num"/>
      <xsl:if test="not($patent)"><xsl:value-of select="nplcit[1]/@num"/></xsl:if>&F;
      <xsl:value-of select="$id/country"/>&F;<xsl:value-of select="$id/doc-number"/>&F;
      <xsl:value-of select="$id/kind"/>&F;<xsl:value-of select="$id/date"/>&F;
      <xsl:if test="not($patent)"><xsl:apply-templates select="nplcit[1]/node()"/></xsl:if>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
