<?xml version="1.0" encoding="UTF-8"?>
<!--
  The text of an element of a USPTO document, with its blocks marked: each block element (paragraph,
  heading, claim, list item, table row, ...) between two U+FDD0, each table cell between two spaces;
  inline markup (b, i, sub, sup, figref, ...) adds nothing to its text. U+FDD0 is a Unicode
  noncharacter, reserved for a program's internal use: it never comes in with the data, and it is no
  whitespace, so it survives whitespace folding (text.py splits on it).

  text.py reads the match lists of the templates named "block" and "cell" to know which elements are
  blocks and cells, and appends both templates to the package's other stylesheets.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template name="block" match="BRFSUM | BTEXT | CLMSTEP | CWU | DETDESC | DRWDESC | H | PARA | RELAPP
      | chemistry | claim | claim-text | cross-reference-to-related-applications | dd
      | description-of-drawings | dl | dt | heading | li | maths | ol | p | paragraph | row | section
      | subdoc-abstract | table | tables | tr | ul | us-chemistry | us-claim-statement"
    >&#xFDD0;<xsl:apply-templates/>&#xFDD0;</xsl:template>
  <xsl:template name="cell" match="entry | td | th">
    <xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text>
  </xsl:template>
</xsl:stylesheet>
