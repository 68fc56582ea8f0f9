<?xml version="1.0" encoding="UTF-8"?>
<!--
  The text of each child named $tag of the element transformed, in document order, each starting with
  U+FDD1 (a noncharacter, as the block mark of text.xsl, whose templates text.py appends here). Used for
  the claims of a document: one pass instead of one per claim.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="tag"/>
  <xsl:template match="/">
    <xsl:for-each select="/*/*[name() = $tag]">&#xFDD1;<xsl:apply-templates select="."/></xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
